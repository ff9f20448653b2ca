/**
 * Strict JSON for what arrives from outside: the bytes must be valid UTF-8 (never silently
 * replaced with U+FFFD) and no object may repeat a key (JSON.parse keeps the last, so two readers
 * of the same text could see different values). Pure.
 */
export class StrictJsonError extends Error {
  override name = 'StrictJsonError';
}

/** Throws StrictJsonError naming the first duplicate key, for text JSON.parse already accepted. */
function checkNoDuplicateKeys(text: string): void {
  // A scan of valid JSON: a stack of the key sets of the objects we are in (null for arrays).
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) throw new StrictJsonError(`duplicate key ${JSON.stringify(key.slice(0, 80))}`);
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack.at(-1) != null;
    }
  }
}

export function parseStrictJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new StrictJsonError('not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StrictJsonError('not JSON');
  }
  checkNoDuplicateKeys(text);
  return value;
}
