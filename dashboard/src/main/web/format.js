// How numbers, times and prefixes read on the page: in the reader's own locale, never raw JSON.

const numbers = new Intl.NumberFormat();

export function count(n) {
  return typeof n === 'number' ? numbers.format(n) : '–';
}

// Instants arrive as ISO-8601 / RFC 3339 strings.
export function toDate(value) {
  if (typeof value !== 'string' || value === '') {
    return null;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

// Today's times as the time alone; older ones with a short date.
export function time(value) {
  const d = toDate(value);
  if (!d) {
    return '–';
  }
  return d.toDateString() === new Date().toDateString()
    ? d.toLocaleTimeString()
    : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

// A prefix is opaque text with a trailing space in most rulesets ("[UFW BLOCK] ").
export function prefix(text) {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? '(no prefix)' : trimmed;
}
