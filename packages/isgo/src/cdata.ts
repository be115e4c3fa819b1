/**
 * The action documents travel inside isgoInvoiceActionBody as CDATA, as the samples show. The
 * SOAP encoder escapes text; this envelope step turns that one element's escaped text back into
 * a CDATA section (same characters, same signature). A document containing "]]>" or a carriage return (which CDATA cannot keep) stays escaped.
 */
import type { SecurityContext, SecurityPolicy } from '@kz/soap';

const BODY = /<isgoInvoiceActionBody>([^<]*)<\/isgoInvoiceActionBody>/g;

function unescapeText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#13;/g, '\r')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

export function actionBodiesAsCdata(envelope: string): string {
  return envelope.replace(BODY, (whole, escaped: string) => {
    const raw = unescapeText(escaped);
    return raw.includes(']]>') || raw.includes('\r')
      ? whole
      : `<isgoInvoiceActionBody><![CDATA[${raw}]]></isgoInvoiceActionBody>`;
  });
}

/** Wraps the caller's policy (if any) so that its finalize step runs after the CDATA step. */
export function withCdataBodies(policy: SecurityPolicy | undefined): SecurityPolicy {
  return {
    ...(policy?.headers ? { headers: (context: SecurityContext) => policy.headers?.(context) ?? [] } : {}),
    ...(policy?.namespaces ? { namespaces: policy.namespaces } : {}),
    ...(policy?.bodyAttributes ? { bodyAttributes: policy.bodyAttributes } : {}),
    async finalize(envelope, context) {
      const converted = actionBodiesAsCdata(envelope);
      return policy?.finalize ? policy.finalize(converted, context) : converted;
    },
    secrets: () => policy?.secrets() ?? [],
  };
}
