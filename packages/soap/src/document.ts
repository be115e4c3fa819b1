/**
 * Standalone XML documents described by a schema (no SOAP envelope): action documents that
 * travel as strings inside a SOAP field, payloads carried in a gateway's anyType element.
 */
import { TypeRegistry } from './codec/compiled.js';
import { ElementDecoder, SchemaViolation } from './codec/decode.js';
import { encodeRootElement } from './codec/encode.js';
import { DecodeError, type ErrorContext, ValidationError } from './errors.js';
import type { DocumentSchemaMeta } from './schema.js';
import { clip } from './xml/clip.js';
import {
  parseXmlSync,
  type XmlAttribute,
  type XmlHandler,
  type XmlLimits,
  type XmlScope,
  XmlSyntaxError,
} from './xml/reader.js';

const registries = new WeakMap<DocumentSchemaMeta, TypeRegistry>();

function registryOf(meta: DocumentSchemaMeta): TypeRegistry {
  let registry = registries.get(meta);
  if (!registry) {
    registry = new TypeRegistry(meta);
    registries.set(meta, registry);
  }
  return registry;
}

function documentOf(meta: DocumentSchemaMeta, name: string, context: ErrorContext) {
  const document = meta.documents[name];
  if (!document)
    throw new ValidationError(context, [{ field: '(document)', message: `the schema has no element ${name}` }]);
  return document;
}

/** Serializes `value` as the global element `name` (with an XML declaration). */
export function encodeXmlDocument(
  meta: DocumentSchemaMeta,
  name: string,
  value: unknown,
  context?: ErrorContext,
): string {
  const ctx = context ?? { service: 'xml', operation: `encode ${name}` };
  const { xml, issues } = encodeRootElement(registryOf(meta), documentOf(meta, name, ctx), value);
  if (issues.length > 0) throw new ValidationError(ctx, issues);
  return `<?xml version="1.0" encoding="UTF-8"?>${xml}`;
}

/** Parses a document whose root must be the global element `name`. */
export function decodeXmlDocument<T>(
  meta: DocumentSchemaMeta,
  name: string,
  xml: string | Uint8Array,
  context?: ErrorContext,
  limits?: XmlLimits,
): T {
  const ctx = context ?? { service: 'xml', operation: `decode ${name}` };
  const document = documentOf(meta, name, ctx);
  const decoder = new ElementDecoder(registryOf(meta), document.type);
  const root: XmlHandler = {
    open(ns: string, local: string, attributes: Record<string, XmlAttribute>, scope: XmlScope) {
      if (!started) {
        if (ns !== document.ns || local !== document.name) {
          throw new SchemaViolation(
            `expected <${document.name}> in ${document.ns || 'no namespace'}, got <${clip(local)}>`,
            clip(local),
          );
        }
        started = true;
      }
      decoder.open(ns, local, attributes, scope);
    },
    text: (text) => decoder.text(text),
    close: () => decoder.close(),
  };
  let started = false;
  try {
    parseXmlSync(xml, root, limits);
  } catch (error) {
    if (error instanceof XmlSyntaxError || error instanceof SchemaViolation) {
      throw new DecodeError(ctx, error.message, error instanceof SchemaViolation ? error.path : '', { cause: error });
    }
    throw error;
  }
  return decoder.result as T;
}
