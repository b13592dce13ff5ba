// The formats a session log exports to, written once: the CLI, the API, the
// window and the desktop's save dialog all derive from this list.

export const EXPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_INFO: Record<ExportFormat, { label: string; mime: string }> = {
  json: { label: 'JSON', mime: 'application/json' },
  csv: { label: 'CSV', mime: 'text/csv; charset=utf-8' },
  html: { label: 'HTML report', mime: 'text/html; charset=utf-8' },
};

/** "json, csv or html" */
export const EXPORT_FORMAT_WORDS = `${EXPORT_FORMATS.slice(0, -1).join(', ')} or ${EXPORT_FORMATS.at(-1)}`;

/** The format a file name asks for by its extension; the HTML report when it names none. */
export function formatOfPath(path: string): ExportFormat {
  return EXPORT_FORMATS.find((f) => path.toLowerCase().endsWith(`.${f}`)) ?? 'html';
}
