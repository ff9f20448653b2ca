// The origin line says each fact once. Inputs are shaped as publishers write them (the seed case's
// feed entry; AFP- and Full Fact-style descriptions that already name the date and place).
import { describe, expect, it } from 'vitest';
import { originLine } from '../../../src/content/notice/origin';

const fmt = (iso: string) => ({ '2019-04-25': 'April 25, 2019', '2020-08-04': 'August 4, 2020' })[iso] ?? null;

describe('originLine', () => {
  it('drops the date and place the description already names (the seed case)', () => {
    expect(
      originLine({ description: 'Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok', date: '2019-04-25', location: 'Vladivostok, Russia' }, fmt),
    ).toBe('Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok');
  });

  it('adds what the description does not say, once', () => {
    expect(originLine({ description: 'The Beirut port explosion', date: '2020-08-04', location: 'Beirut, Lebanon' }, fmt)).toBe(
      'The Beirut port explosion (August 4, 2020)',
    );
    expect(originLine({ description: 'A protest filmed in 2019', date: '2019-04-25', location: 'Hong Kong' }, fmt)).toBe('A protest filmed in 2019 (Hong Kong)');
    expect(originLine({ description: 'A summit', date: '2019-04-25', location: 'Vladivostok, Russia' }, fmt)).toBe('A summit (April 25, 2019, Vladivostok, Russia)');
  });

  it('compares places without case or accents', () => {
    expect(originLine({ description: 'Photographié à LA RÉUNION', date: null, location: 'La Réunion, France' }, fmt)).toBe('Photographié à LA RÉUNION');
    expect(originLine({ description: 'Taken in Sao Paulo', date: null, location: 'São Paulo' }, fmt)).toBe('Taken in Sao Paulo');
  });

  it('uses the fields alone when there is no description, and says nothing when there is nothing', () => {
    expect(originLine({ description: null, date: '2019-04-25', location: 'Vladivostok' }, fmt)).toBe('April 25, 2019, Vladivostok');
    expect(originLine({ description: '  ', date: null, location: null }, fmt)).toBeNull();
    expect(originLine(null, fmt)).toBeNull();
  });

  it('keeps a date it cannot format as published', () => {
    expect(originLine({ description: 'A flood', date: '1998-07', location: null }, fmt)).toBe('A flood (1998-07)');
  });
});
