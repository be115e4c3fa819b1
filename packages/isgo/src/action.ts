/**
 * The ISGO action documents (IsgoInvoiceAction.xsd, namespace .../isgo/invoice/action/v1): built
 * from typed input by the generated schema, serialized to the exact text the ESF server (JAXB)
 * writes, signed as that text, and parsed back from `isgoInvoiceActionBody` / `requestXML`.
 *
 * The signature covers the exact string, so what is signed is what is sent: build once, sign the
 * result, send the result.
 */
import { DecodeError, decodeXmlDocument, type ErrorContext, encodeXmlDocument, parseXmlSync } from '@kz/soap';
import { schemaMeta } from './generated/action/schema.js';
import type { IsgoApproveInvoiceActionV1, IsgoCreateInvoiceActionV1 } from './generated/action/types.js';

/** Namespace of the ISGO action documents (IsgoInvoiceAction.xsd, v1): the root of every create/approve action. */
export const ACTION_NS = 'http://esf.gov.kz/esf/model/isgo/invoice/action/v1';
/** Declared on the root by the server's marshaller (namespace of its abstract base class; unused). */
export const ABSTRACT_ACTION_NS = 'http://esf.gov.kz/esf/model/isgo/invoice/abstractAction';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** A create-action as input: actionType is always CREATE. */
export type CreateActionInput = Omit<IsgoCreateInvoiceActionV1, 'actionType'>;
/** A confirm-action (the counterparty agrees to send the invoice to the IS GO). */
export type ConfirmActionInput = Omit<IsgoApproveInvoiceActionV1, 'actionType' | 'rejectReason'>;
/** A decline-action: rejectReason says why. */
export type DeclineActionInput = Omit<IsgoApproveInvoiceActionV1, 'actionType'> & { rejectReason: string };

/** A parsed action document. */
export type IsgoActionDocument =
  | { readonly kind: 'create'; readonly action: IsgoCreateInvoiceActionV1 }
  | { readonly kind: 'approve'; readonly action: IsgoApproveInvoiceActionV1 };

type DocumentName = 'isgoCreateInvoiceAction' | 'isgoApproveInvoiceAction';

/**
 * Serializes an action the way the samples show it: standalone declaration, root prefixed v1 with
 * the abstractAction namespace declared first, unqualified children in schema order, no spaces.
 */
function serialize(name: DocumentName, value: unknown, context: ErrorContext): string {
  const encoded = encodeXmlDocument(schemaMeta, name, value, context);
  // The encoder writes <?xml …?><ns1:NAME xmlns:ns1="NS" xmlns:xsi="…">BODY</ns1:NAME>; the
  // children are unqualified and never nil, so only the root's prefix and declarations change.
  const match = /^<\?xml[^?]*\?><([A-Za-z0-9]+):([A-Za-z]+)((?: xmlns:[A-Za-z0-9]+="[^"]*")*)>(.*)<\/\1:\2>$/s.exec(
    encoded,
  );
  // Prefixed tags or xsi: attributes are looked for in tags only: text may well contain "xsi:".
  if (!match || match[2] !== name || /<\/?[A-Za-z0-9]+:|<[^>]*\sxsi:/.test(match[4] as string)) {
    // An invariant of our own encoder's output, not of the input: a plain Error (a bug to report).
    throw new Error(`unexpected encoding of ${name}; the action serializer needs updating`);
  }
  return `${DECLARATION}<v1:${name} xmlns:isgoinvoiceabstractaction="${ABSTRACT_ACTION_NS}" xmlns:v1="${ACTION_NS}">${match[4]}</v1:${name}>`;
}

/**
 * The text of an isgoCreateInvoiceAction (actionType CREATE) for `input`, serialized exactly as the ESF server
 * writes it: sign this string and send it unchanged (IsgoClient.sendInvoices does both).
 * @throws ValidationError when `input` breaks the schema (missing registrationNumber, isgoSystemCode…).
 */
export function buildCreateAction(input: CreateActionInput): string {
  return serialize(
    'isgoCreateInvoiceAction',
    { actionType: 'CREATE', ...input },
    { service: 'IsgoWebService', operation: 'build isgoCreateInvoiceAction' },
  );
}

/**
 * The text of an isgoApproveInvoiceAction with actionType CONFIRM: the counterparty agrees that the invoice goes to
 * the IS GO. Sign it and send it unchanged (IsgoClient.confirm does both).
 * @throws ValidationError when `input` breaks the schema.
 */
export function buildConfirmAction(input: ConfirmActionInput): string {
  return serialize(
    'isgoApproveInvoiceAction',
    { actionType: 'CONFIRM', ...input },
    { service: 'IsgoWebService', operation: 'build isgoApproveInvoiceAction' },
  );
}

/**
 * The text of an isgoApproveInvoiceAction with actionType DECLINE and its rejectReason: the counterparty refuses.
 * Sign it and send it unchanged (IsgoClient.decline does both).
 * @throws ValidationError when `input` breaks the schema.
 */
export function buildDeclineAction(input: DeclineActionInput): string {
  return serialize(
    'isgoApproveInvoiceAction',
    { actionType: 'DECLINE', ...input },
    { service: 'IsgoWebService', operation: 'build isgoApproveInvoiceAction' },
  );
}

/** Parses an action document (either kind), validating it against the schema. */
export function parseAction(xml: string, context?: ErrorContext): IsgoActionDocument {
  const ctx = context ?? { service: 'IsgoWebService', operation: 'parse action document' };
  let root = '';
  try {
    parseXmlSync(xml, {
      open(ns, local) {
        if (!root) {
          if (ns !== ACTION_NS)
            throw new DecodeError(ctx, `unexpected action document <${local}> in ${ns || 'no namespace'}`);
          root = local;
        }
      },
      text() {},
      close() {},
    });
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(ctx, `the action document is not well-formed XML: ${(error as Error).message}`, '', {
      cause: error,
    });
  }
  if (root === 'isgoCreateInvoiceAction') {
    return { kind: 'create', action: decodeXmlDocument<IsgoCreateInvoiceActionV1>(schemaMeta, root, xml, ctx) };
  }
  if (root === 'isgoApproveInvoiceAction') {
    return { kind: 'approve', action: decodeXmlDocument<IsgoApproveInvoiceActionV1>(schemaMeta, root, xml, ctx) };
  }
  throw new DecodeError(ctx, `unknown action document <${root}>`);
}
