/**
 * SHEP's errors in the @kz error family: faults carry ErrorInfo (with nested subError) in their
 * detail; waiting helpers fail with a timeout or a delivery error.
 */
import {
  type DocumentSchemaMeta,
  type ErrorContext,
  encodeXmlDocument,
  KzError,
  type SoapFaultClass,
  SoapFaultError,
} from '@kz/soap';
import {
  GetMessageStatusFault1GetMessageStatusFault,
  GetMessagesFault1GetMessagesFault,
  SendDeliveryNotificationFault1SendDeliveryNotificationFault,
} from './generated/async/faults.js';
import { ChangeMassageStatusNotificationFault1ChangeMassageStatusNotificationFault } from './generated/async-client/faults.js';
import { SendMessageFault1SendMessageFault } from './generated/common/faults.js';
import { sharedTypes } from './generated/common/schema.js';
import type { ErrorInfo, MessageState } from './generated/common/types.js';
import { SendMessageFault1SendMessageFault as SyncSendMessageFault } from './generated/sync/faults.js';

/**
 * The generated fault class of each SHEP fault element (every one carries ErrorInfo), by the
 * operation that answers with it; the generated clients raise these with ErrorInfo decoded.
 */
const FAULT_CLASSES = {
  sync: SyncSendMessageFault,
  sendMessage: SendMessageFault1SendMessageFault,
  sendDeliveryNotification: SendDeliveryNotificationFault1SendDeliveryNotificationFault,
  getMessageStatus: GetMessageStatusFault1GetMessageStatusFault,
  getMessages: GetMessagesFault1GetMessagesFault,
  changeMassageStatusNotification: ChangeMassageStatusNotificationFault1ChangeMassageStatusNotificationFault,
} as const satisfies Record<FaultElement, SoapFaultClass<ErrorInfo>>;

/**
 * Which operation's fault element a fault detail carries (see encodeErrorInfo): `sync` for the
 * synchronous channel's SendMessage, the others for the asynchronous channel's operations.
 */
export type FaultElement =
  | 'sync'
  | 'sendMessage'
  | 'sendDeliveryNotification'
  | 'getMessageStatus'
  | 'getMessages'
  | 'changeMassageStatusNotification';

const faultMeta: DocumentSchemaMeta = {
  types: sharedTypes,
  documents: Object.fromEntries(
    Object.entries(FAULT_CLASSES).map(([key, fault]) => [key, { ...fault.element, type: 'ErrorInfo' }]),
  ),
};

/** The XML of a fault's detail content carrying `info`, in `element`'s fault element. */
export function encodeErrorInfo(element: FaultElement, info: ErrorInfo): string {
  return encodeXmlDocument(faultMeta, element, info).replace(/^<\?xml[^?]*\?>/, '');
}

const FAULTS: readonly SoapFaultClass<ErrorInfo>[] = Object.values(FAULT_CLASSES);

/**
 * A SOAP fault from SHEP (or a receiving system). `errorInfo` is the ErrorInfo the generated fault
 * class decoded; a fault no SHEP fault element matched has none (its detail stays in `detail`).
 */
export class ShepFaultError extends SoapFaultError {
  /** errorCode, errorMessage, errorData, errorDate, nested subError, sessionId. */
  readonly errorInfo: ErrorInfo | undefined;

  constructor(fault: SoapFaultError<unknown>) {
    super(
      // The fault as the context: the new error keeps its call's request id, host and attempts.
      fault,
      { faultCode: fault.faultCode, faultSubcodes: fault.faultSubcodes, reason: fault.reason, detail: fault.detailXml },
      fault.httpStatus,
    );
    this.errorInfo = FAULTS.some((Class) => fault instanceof Class) ? (fault.detail as ErrorInfo) : undefined;
  }
}

/** SHEP reports the message as not delivered (NOT_DELIVERED or DELIVERY_STOPPED). */
export class ShepDeliveryError extends KzError {
  constructor(
    context: ErrorContext,
    /** The final state SHEP reported: NOT_DELIVERED or DELIVERY_STOPPED. */
    readonly messageState: MessageState,
    /** SHEP's explanation (the status's statusMessage). */
    readonly statusMessage: string,
  ) {
    super(context, 'NOT_DELIVERED', `${context.service}.${context.operation}: ${messageState}: ${statusMessage}`);
  }
}
