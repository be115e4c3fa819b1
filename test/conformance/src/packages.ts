/**
 * Every publishable package's entry points, with what the checks cannot guess: minimal options of
 * each client factory and a sample of each error class whose constructor is its own. The
 * exemptions are the documented exceptions, each with its reason.
 */
import * as alseco from '@kz/alseco';
import * as core from '@kz/core';
import * as esf from '@kz/esf';
import * as isgo from '@kz/isgo';
import * as shep from '@kz/shep';
import * as signing from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import * as soap from '@kz/soap';
import * as sonoFno from '@kz/sono-fno';
import * as trueApi from '@kz/true-api';
import type { Exemption, PackageUnderTest } from './rules.js';

const ENDPOINT = 'http://127.0.0.1:9/service';
const context = { service: 'Conformance', operation: 'sample' };
const signer = createTestIdentity({ commonName: 'CONFORMANCE' }).signer;
const fault = new soap.SoapFaultError(context, { faultCode: 'soap:Server', reason: 'sample' }, 500);

export const PACKAGES: readonly PackageUnderTest[] = [
  {
    name: '@kz/soap',
    exports: soap,
    errorSamples: {
      KzError: () => new soap.KzError(context, 'CONFIG_ERROR', 'sample'),
      HttpError: () => new soap.HttpError(context, 502, ''),
      TransportError: () => new soap.TransportError(context, 'TIMEOUT', 'sample', { maybeDelivered: false }),
      DecodeError: () => new soap.DecodeError(context, 'sample'),
      ValidationError: () => new soap.ValidationError(context, [{ field: 'f', message: 'm' }]),
      SignatureError: () => new soap.SignatureError(context, 'sample'),
      WaitTimeoutError: () => new soap.WaitTimeoutError(context, 'sample', { resume: { id: '1' }, timeoutMs: 1 }),
    },
  },
  {
    name: '@kz/core',
    exports: core,
    errorSamples: { InvalidIdentifierError: () => new core.InvalidIdentifierError('IIN', 'NOT_12_DIGITS', 'sample') },
  },
  {
    name: '@kz/signing',
    exports: signing,
    errorSamples: {
      SigningKeyError: () => new signing.SigningKeyError('sample'),
      WrongPasswordError: () => new signing.WrongPasswordError(),
      UnsupportedKeyError: () => new signing.UnsupportedKeyError('1.2.3', 'sample'),
      CertificateError: () => new signing.CertificateError('MALFORMED', 'sample'),
      XmlSignatureFailure: () => new signing.XmlSignatureFailure('sample'),
    },
  },
  {
    name: '@kz/alseco',
    exports: alseco,
    factories: { createAlsecoClient: (transport) => ({ endpoint: ENDPOINT, bankCode: 'TEST', transport }) },
    errorSamples: { AlsecoServiceError: () => new alseco.AlsecoServiceError('Pay', 'sample') },
  },
  {
    name: '@kz/esf',
    exports: esf,
    factories: {
      createEsfClient: (transport) => ({
        endpoint: `${ENDPOINT}/SessionService`,
        username: 'user',
        password: 'secret',
        transport,
      }),
    },
    errorSamples: {
      EsfServiceError: () => new esf.EsfServiceError(fault, 'BUSINESS', 'sample'),
      EsfAccessDeniedError: () => new esf.EsfAccessDeniedError(fault, 'ACCESS_DENIED', 'sample'),
      EsfBusinessError: () => new esf.EsfBusinessError(fault, 'BUSINESS', 'sample'),
      EsfSessionClosedError: () => new esf.EsfSessionClosedError(fault, 'SESSION_CLOSED', 'sample'),
      EsfAuthError: () => new esf.EsfAuthError(fault, 'CERTIFICATE_NOT_VALID', 'sample'),
    },
  },
  {
    name: '@kz/isgo',
    exports: isgo,
    factories: { createIsgoClient: (transport) => ({ endpoint: ENDPOINT, session: 'session-1', signer, transport }) },
  },
  {
    name: '@kz/shep',
    exports: shep,
    factories: {
      createShepClient: (transport) => ({ endpoint: ENDPOINT, senderId: 'SENDER', verify: false, transport }),
    },
    errorSamples: {
      ShepFaultError: () => new shep.ShepFaultError(fault),
      ShepDeliveryError: () => new shep.ShepDeliveryError(context, 'NOT_DELIVERED', 'sample'),
      ShepReceiverFault: () => new shep.ShepReceiverFault('RC_01', 'sample'),
      XmlSignatureFailure: () => new signing.XmlSignatureFailure('sample'),
    },
  },
  { name: '@kz/sono-fno', exports: sonoFno },
  {
    name: '@kz/true-api',
    exports: trueApi,
    factories: {
      createTrueApiClient: (transport) => ({ endpoint: ENDPOINT, signer, transport }),
      createTrueApiSession: (transport) => ({ endpoint: ENDPOINT, signer, transport }),
    },
    errorSamples: {
      TrueApiError: () => new trueApi.TrueApiError(context, 500, '', 'sample'),
      CisesOrderError: () => new trueApi.CisesOrderError('uuid', 'ERROR', 'sample'),
      ZipFormatError: () => new trueApi.ZipFormatError('sample'),
    },
  },
];

const WIRE_SIGNAL =
  "a signal between the runtime's own parts (codec, XML reader, transport, server handler): the client " +
  'and the handler turn it into a KzError (DecodeError, TransportError, a SOAP fault) before a caller sees it';

/** The documented exceptions. Each one is a decision; remove it when the export conforms. */
export const EXEMPTIONS: readonly Exemption[] = [
  ...['LeafError', 'XmlSyntaxError', 'XmlParseInterrupted', 'TransportFailure', 'SoapFaultResponse'].map(
    (name): Exemption => ({ package: '@kz/soap', export: name, rule: 'error-family', reason: WIRE_SIGNAL }),
  ),
  ...(['factory-fixture'] as const).map(
    (rule): Exemption => ({
      package: '@kz/sono-fno',
      export: 'createSonoFnoClient',
      rule,
      reason:
        'a workflow on a ShepClient the caller creates and owns: endpoint, transport, operations and close are that ' +
        "client's (createShepClient conforms)",
    }),
  ),
];
