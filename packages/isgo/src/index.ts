export {
  ABSTRACT_ACTION_NS,
  ACTION_NS,
  buildConfirmAction,
  buildCreateAction,
  buildDeclineAction,
  type ConfirmActionInput,
  type CreateActionInput,
  type DeclineActionInput,
  type IsgoActionDocument,
  parseAction,
} from './action.js';
export {
  ACTION_VERSION,
  type ApproveTarget,
  createIsgoClient,
  IsgoClient,
  type IsgoClientOptions,
  type IsgoInvoice,
  type IsgoSignatureRecord,
  type SendInvoiceInput,
  type SendOutcome,
  type SessionLike,
} from './client.js';
export { schemaMeta as actionSchemaMeta } from './generated/action/schema.js';
export type {
  IsgoApproveInvoiceActionV1,
  IsgoCreateInvoiceActionV1,
  IsgoInvoiceActionType,
} from './generated/action/types.js';
export { IsgoWebServiceClient, type IsgoWebServiceOperations } from './generated/client.js';
export { serviceMeta } from './generated/schema.js';
export type * from './generated/types.js';
export { type SignedAction, signAction } from './signing.js';
