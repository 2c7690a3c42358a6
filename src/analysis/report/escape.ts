/**
 * Escaping for the HTML report. Everything that comes from data or config (channel names, parameter
 * names, warnings, the model name) passes through one of these before it reaches the page.
 */

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values. Example:
 * `escapeHtml('<img onerror="x">')` → `'&lt;img onerror=&quot;x&quot;&gt;'`. Non-strings are
 * converted with `String` first (null and undefined become the empty string).
 */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (ch) => htmlEntities[ch]);
}

/**
 * Serializes a value as JSON that is safe inside an HTML `<script>` element: `<`, `>` and `&` become
 * `\u003c`, `\u003e`, `\u0026` (so neither `</script>` nor `<!--` can appear), and U+2028/U+2029 are
 * escaped. `JSON.parse` of the result gives back the same value. Example:
 * `jsonForScript({ a: '</script>' })` → `'{"a":"\\u003c/script\\u003e"}'`. Non-finite numbers
 * become `null`, as in `JSON.stringify`.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Makes a script's source safe to inline in `<script>…</script>`: any `</script` (any case) becomes
 * `<\/script` and `<!--` becomes `<\!--`, which mean the same inside JavaScript strings and regular
 * expressions. Example: `inlineScript('s = "</script>"')` → `'s = "<\\/script>"'`.
 */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
