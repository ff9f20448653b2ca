/**
 * The notice's origin line, composed once from the feed's fields. Publishers often write the date
 * and place into the description too ("Filmed on 25 April 2019 in Vladivostok") and repeat them in
 * the structured fields (date 2019-04-25, location "Vladivostok, Russia"); the line says each fact
 * once: a structured field is added only where the description does not already carry it.
 */
export interface OriginFields {
  description: string | null;
  date: string | null;
  location: string | null;
}

/** Folds case and accents so "Île" and "ile" compare equal. */
function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en');
}

/** The year of an ISO date (or of a free-text date), if it has one. */
function yearOf(date: string): string | null {
  return /\b(\d{4})\b/.exec(date)?.[1] ?? null;
}

/** Does the description already say when? Its year stands in it. */
function mentionsDate(description: string, date: string): boolean {
  const year = yearOf(date);
  return year !== null && new RegExp(`\\b${year}\\b`).test(description);
}

/** Does the description already say where? Its first place name (before a comma) stands in it. */
function mentionsPlace(description: string, location: string): boolean {
  const place = fold(location.split(',')[0]!.trim());
  return place.length > 0 && fold(description).includes(place);
}

/**
 * "description (date, place)", with the parts the description already names left out; null when
 * there is nothing to say. `formatDate` turns the ISO date into the reader's words.
 */
export function originLine(fields: OriginFields | null, formatDate: (iso: string) => string | null): string | null {
  if (!fields) return null;
  const description = fields.description?.trim() || null;
  const date = fields.date?.trim() || null;
  const location = fields.location?.trim() || null;
  const extra: string[] = [];
  if (date && !(description && mentionsDate(description, date))) extra.push(formatDate(date) ?? date);
  if (location && !(description && mentionsPlace(description, location))) extra.push(location);
  if (!description) return extra.length ? extra.join(', ') : null;
  return extra.length ? `${description} (${extra.join(', ')})` : description;
}
