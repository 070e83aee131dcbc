/**
 * Building an `Intl.DateTimeFormat` costs far more than using one (a week's schedule formats
 * 800 clock times: building a formatter for each was half the page's server time). One formatter
 * per locale and options, kept for the life of the process; there are only as many as there are
 * formats times the sites' time zones.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}
