// The add/edit form's fields <-> endpoint settings, made from the settings'
// descriptions (shared/settings/): one field per setting, keyed by its path,
// holding what the user typed; read back through the same parsing the
// command line uses, then checked by the shared schema.
import { type AppProtocolName } from '../../../shared/app-protocols';
import { endpointConfigSchema, type EndpointConfig, type EndpointConfigInput } from '../../../shared/config';
import { toProblems } from '../../../shared/errors';
import { ALL_SETTINGS, defaultOf, ENDPOINT_SETTINGS, protocolSettings } from '../../../shared/settings/endpoint';
import { formatSetting, getPath, isMultiple, parseSetting, setPath, settingAt, type Setting } from '../../../shared/settings/setting';

/** What the user typed in each field, by setting path (a toggle's field holds true or false). */
export type FormFields = Record<string, string | boolean>;
export type FieldErrors = Partial<Record<string, string>>;

/** The protocol the fields choose, or null for plain WebSocket. */
export const protocolOf = (f: FormFields) => (f['appProtocol.name'] as AppProtocolName | '') || null;

/** The settings the form shows for these fields: every endpoint setting, and the chosen protocol's options. */
export function formSettings(f: FormFields): Setting[] {
  const protocol = protocolOf(f);
  return [...ENDPOINT_SETTINGS, ...(protocol ? protocolSettings(protocol) : [])];
}

/** The element id of a setting's field (and, with a prefix, of its error or hint). */
export const fieldId = (path: string, prefix = 'f') => `${prefix}-${path.replaceAll('.', '-')}`;

const asText = (s: Setting, v: unknown): string | boolean => (s.kind === 'toggle' ? v === true : formatSetting(s, v));

/** A new endpoint's fields: each setting's default, as typed (every protocol's too, so switching keeps them). */
export function emptyFields(): FormFields {
  return Object.fromEntries(ALL_SETTINGS.map((s) => [s.path, asText(s, defaultOf(s))]));
}

/** The fields once a preset is chosen: the preset's settings over the defaults, the URL and name kept. */
export function fieldsWithPreset(f: FormFields, preset: string): FormFields {
  const settled = endpointConfigSchema.parse({ url: 'ws://preset.invalid/', preset });
  return { ...fieldsFrom({ ...settled, id: '', name: '' }), url: f.url!, name: f.name!, preset };
}

/** An endpoint's fields, from its settings (secrets arrive masked, and a mask sent back keeps the value). */
export function fieldsFrom(c: EndpointConfig): FormFields {
  const fields = emptyFields();
  for (const s of ALL_SETTINGS) {
    const v = getPath(c, s.path);
    if (v !== undefined) fields[s.path] = asText(s, v);
  }
  return fields;
}

/** The field a problem at a schema path belongs to. */
export function fieldOf(path: string): string {
  return settingAt(ALL_SETTINGS, path)?.path ?? 'url';
}

/** The settings the fields describe, and the problems with them by field (empty when valid). */
export function readFields(f: FormFields): { input: EndpointConfigInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: Record<string, unknown> = {};
  const settings = formSettings(f);
  for (const s of settings) {
    const r = parseSetting(s, f[s.path] ?? '');
    if (r.ok) setPath(input, s.path, r.value);
    else errors[s.path] = `${s.label} ${r.problem}${isMultiple(s) ? ` (got "${r.got}")` : ''}`;
  }
  for (const s of settings) {
    if (s.requires && getPath(input, s.path) !== undefined && getPath(input, s.requires) === undefined) {
      errors[s.requires] ??= `${settings.find((o) => o.path === s.requires)!.label} is needed with ${s.label.toLowerCase()}`;
    }
  }
  const r = endpointConfigSchema.safeParse(input);
  if (!r.success) for (const p of toProblems(r.error)) errors[fieldOf(p.path)] ??= p.message;
  return { input: input as EndpointConfigInput, errors };
}
