export { emit, header } from './emit.js';
export { type GenerateOptions, type GenerateResult, generate, loadServiceMeta, render } from './generate.js';
export { loadWsdl, loadXsd } from './loader.js';
export { collectOperations, type OpenApiOperationMeta, renderOpenApi } from './openapi.js';
export { buildService } from './wsdl.js';
export { ContractError } from './xml.js';
export { SchemaModel } from './xsd.js';
