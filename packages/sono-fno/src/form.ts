/**
 * The form body in KGD's public form format (specs/sono-fno/fno-form.xsd, FACTS.md section 3):
 * `<fno code formatVersion version>` -> `<form name>` -> `<sheetGroup>` -> `<sheet name>` ->
 * `<field name>`, `<row>` for tables; built from typed input, checked before anything is signed.
 */
import { decodeXmlDocument, encodeXmlDocument, type FieldIssue, ValidationError } from '@kz/soap';
import { schemaMeta as formMeta } from './generated/form/schema.js';
import type { FnoDocument, FnoField, FnoSheet } from './generated/form/types.js';

/**
 * A field's value as the form writes it: text as is, an integer (amounts are whole tenge), a
 * flag ("true"/"false"), or null for an empty field (`<field name="x"/>`). Decimals go as text.
 */
export type FieldValue = string | number | bigint | boolean | null;

/** A sheet (page) of a form: its named fields, or the rows of a repeating table. */
export interface FnoSheetInput {
  /** e.g. "page_910_00_01". */
  readonly name: string;
  /** Fields in the order given. */
  readonly fields?: Readonly<Record<string, FieldValue>>;
  /** Rows of a repeating table, each its fields in order. */
  readonly rows?: readonly Readonly<Record<string, FieldValue>>[];
}

/** A form or appendix of a tax form document: `<form name>` with its sheets. */
export interface FnoFormInput {
  /** e.g. "form_910_00"; one per form or appendix. */
  readonly name: string;
  /** The sheets of its sheetGroup (an empty sheet is written `<sheet name="..."/>`). */
  readonly sheets: readonly FnoSheetInput[];
}

/**
 * A tax form (FNO) in KGD's public form format, as typed input: the `<fno>` root's code and versions, and its
 * forms. submitForm builds and checks it (ValidationError) before it is signed.
 */
export interface FnoDocumentInput {
  /** Form code, e.g. "910.00". */
  readonly code: string;
  /** Template version valid for the tax period, e.g. "27". */
  readonly version: string;
  /** File format version; "1" in every known example (the default). */
  readonly formatVersion?: string;
  /** The main form and its appendices. */
  readonly forms: readonly FnoFormInput[];
}

const FORM_CODE = /^\d{3}\.\d{2}$/;
const CONTEXT = { service: 'SONO_FNO', operation: 'buildFnoForm' };

/** The typed form document, checked (form code, names, values). */
export function fnoDocument(input: FnoDocumentInput): FnoDocument {
  const issues: FieldIssue[] = [];
  if (!FORM_CODE.test(input.code ?? '')) issues.push({ field: 'code', message: 'must be a form code like "910.00"' });
  if (!input.version) issues.push({ field: 'version', message: 'the template version is required' });
  if (!input.forms?.length) issues.push({ field: 'forms', message: 'at least one form' });
  const fields = (values: Readonly<Record<string, FieldValue>> | undefined, at: string): FnoField[] =>
    Object.entries(values ?? {}).map(([name, value]) => {
      if (!name) issues.push({ field: at, message: 'a field needs a name' });
      return { name, $value: fieldText(value, `${at}.${name}`, issues) };
    });
  const document: FnoDocument = {
    code: input.code,
    formatVersion: input.formatVersion ?? '1',
    version: input.version,
    form: (input.forms ?? []).map((form, f) => {
      if (!form.name) issues.push({ field: `forms[${f}].name`, message: 'is required' });
      return {
        name: form.name,
        sheetGroup: [
          {
            sheet: form.sheets.map((sheet, s): FnoSheet => {
              const at = `forms[${f}].sheets[${s}]`;
              if (!sheet.name) issues.push({ field: `${at}.name`, message: 'is required' });
              const own = fields(sheet.fields, `${at}.fields`);
              const rows = (sheet.rows ?? []).map((row, r) => ({ field: fields(row, `${at}.rows[${r}]`) }));
              return {
                name: sheet.name,
                ...(own.length > 0 ? { field: own } : {}),
                ...(rows.length > 0 ? { row: rows } : {}),
              };
            }),
          },
        ],
      };
    }),
  };
  if (issues.length > 0) throw new ValidationError(CONTEXT, issues);
  return document;
}

/** The form document as XML (with an XML declaration), ready to be signed by the taxpayer. */
export function encodeFnoForm(input: FnoDocumentInput): string {
  return encodeXmlDocument(formMeta, 'fno', fnoDocument(input), CONTEXT);
}

/** Reads a form document (a signed one too: its ds:Signature is kept in `$any`). */
export function decodeFnoForm(xml: string | Uint8Array): FnoDocument {
  return decodeXmlDocument<FnoDocument>(formMeta, 'fno', xml, { service: 'SONO_FNO', operation: 'decodeFnoForm' });
}

function fieldText(value: FieldValue, field: string, issues: FieldIssue[]): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (Number.isSafeInteger(value)) return String(value);
  issues.push({ field, message: 'a number must be a whole, exact integer (give decimals and large numbers as text)' });
  return '';
}
