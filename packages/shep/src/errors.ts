/**
 * SHEP's errors in the @kz error family: faults carry ErrorInfo (with nested subError) in their
 * detail; waiting helpers fail with a timeout or a delivery error.
 */
import {
  type DocumentSchemaMeta,
  decodeXmlDocument,
  type ErrorContext,
  encodeXmlDocument,
  KzError,
  SoapFaultError,
} from '@kz/soap';
import { serviceMeta as asyncMeta } from './generated/async/schema.js';
import type { ErrorInfo, MessageState } from './generated/common/types.js';

const ASYNC = 'http://bip.bee.kz/AsyncChannel/v10/Types';
const fault = (name: string, ns: string) => ({ name, ns, type: 'ErrorInfo' });

/** The fault detail elements of the contracts (all of type ErrorInfo). */
export const FAULT_ELEMENTS = {
  sync: fault('SendMessageFault1_SendMessageFault', 'http://bip.bee.kz/SyncChannel/v10/Types'),
  sendMessage: fault('sendMessageFault1_sendMessageFault', ASYNC),
  sendDeliveryNotification: fault('sendDeliveryNotificationFault1_sendDeliveryNotificationFault', ASYNC),
  getMessageStatus: fault('getMessageStatusFault1_getMessageStatusFault', ASYNC),
  getMessages: fault('getMessagesFault1_getMessagesFault', ASYNC),
  changeMassageStatusNotification: fault(
    'changeMassageStatusNotificationFault1_changeMassageStatusNotificationFault',
    'http://bip.bee.kz/AsyncChannel/v10/Types/Client',
  ),
} as const;

export type FaultElement = keyof typeof FAULT_ELEMENTS;

const faultMeta: DocumentSchemaMeta = {
  types: asyncMeta.types,
  documents: Object.fromEntries(Object.entries(FAULT_ELEMENTS).map(([k, v]) => [k, v])),
};

/** The XML of a fault's detail content carrying `info`. */
export function encodeErrorInfo(element: FaultElement, info: ErrorInfo): string {
  return encodeXmlDocument(faultMeta, element, info).replace(/^<\?xml[^?]*\?>/, '');
}

/** Reads ErrorInfo from a SOAP fault's detail, whichever operation's fault element carries it. */
export function decodeErrorInfo(detail: string | undefined): ErrorInfo | undefined {
  if (!detail) return undefined;
  const local = /<(?:[\w.-]+:)?([\w.-]+)/.exec(detail.trim())?.[1];
  const key = (Object.keys(FAULT_ELEMENTS) as FaultElement[]).find((k) => FAULT_ELEMENTS[k].name === local);
  if (!key) return undefined;
  try {
    return decodeXmlDocument<ErrorInfo>(faultMeta, key, detail.trim());
  } catch {
    return undefined;
  }
}

/** A SOAP fault from SHEP (or a receiving system) with its ErrorInfo decoded. */
export class ShepFaultError extends SoapFaultError {
  /** errorCode, errorMessage, errorData, errorDate, nested subError, sessionId. */
  readonly errorInfo: ErrorInfo | undefined;

  constructor(fault: SoapFaultError<unknown>) {
    super(
      { service: fault.service, operation: fault.operation },
      { faultCode: fault.faultCode, faultSubcodes: fault.faultSubcodes, reason: fault.reason, detail: fault.detailXml },
      fault.httpStatus,
    );
    // The generated clients raise SHEP's faults as their fault classes, ErrorInfo already decoded.
    this.errorInfo =
      typeof fault.detail === 'object' && fault.detail !== null
        ? (fault.detail as ErrorInfo)
        : decodeErrorInfo(fault.detailXml);
  }
}

/** A wait helper ran out of time; the message may still be processed later. */
export class ShepTimeoutError extends KzError {
  constructor(
    context: ErrorContext,
    message: string,
    /** What was last seen (a status, a state) before giving up. */
    readonly lastSeen: unknown,
  ) {
    super(context, 'WAIT_TIMEOUT', `${context.service}.${context.operation}: ${message}`);
  }
}

/** SHEP reports the message as not delivered (NOT_DELIVERED or DELIVERY_STOPPED). */
export class ShepDeliveryError extends KzError {
  constructor(
    context: ErrorContext,
    readonly messageState: MessageState,
    readonly statusMessage: string,
  ) {
    super(context, 'NOT_DELIVERED', `${context.service}.${context.operation}: ${messageState}: ${statusMessage}`);
  }
}
