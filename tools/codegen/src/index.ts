// The programmatic API: generate and render (what the CLI does), loadServiceMeta (a contract's
// metadata at run time), the OpenAPI renderer and its operation list, and the contract error.
// The pipeline's stages (loader, XSD model, WSDL model, emitter) are internal: their types are not
// a public contract.
export { type GenerateOptions, type GenerateResult, generate, loadServiceMeta, render } from './generate.js';
export { collectOperations, type OpenApiOperationMeta, renderOpenApi } from './openapi.js';
export { ContractError } from './xml.js';
