/**
 * The conventions every publishable package follows, as checks over its runtime exports. Each
 * check returns deviations ("<package>.<export>: <rule>: <what is wrong>"); an empty list conforms.
 * The same checks run on the real packages and on a deviant canary, so they are seen to fail.
 */
import { KZ_ERROR_CODES, KzError, SoapFaultError, type Transport } from '@kz/soap';

/** One package entry point under test, with what the checks cannot guess. */
export interface PackageUnderTest {
  /** The import specifier, e.g. '@kz/esf'. */
  name: string;
  exports: Record<string, unknown>;
  /** Minimal working options of each client factory (with `endpoint`), the transport given. */
  factories?: Record<string, (transport: Transport) => Record<string, unknown>>;
  /** One instance of each exported error class (by export name) whose constructor the checks cannot guess. */
  errorSamples?: Record<string, () => unknown>;
}

/** A documented exception to one rule for one export. */
export interface Exemption {
  package: string;
  export: string;
  rule: Rule;
  reason: string;
}

export type Rule =
  | 'error-family'
  | 'error-sample'
  | 'error-code'
  | 'one-poll'
  | 'factory-fixture'
  | 'endpoint-required'
  | 'operations'
  | 'close'
  | 'async-dispose';

/** The package allowed to export the shared poll, sleep and wait-timeout error. */
export const RUNTIME = '@kz/soap';

const FACTORY = /^create\w*(Client|Session)$/;
const WAIT_HELPER = /^(sleep|delay|wait|poll)$|Sleep|Poll|^poll|TimeoutError$/;
const LISTED_CODES: ReadonlySet<string> = new Set(Object.values(KZ_ERROR_CODES).flat());
const SAMPLE_CONTEXT = { service: 'Conformance', operation: 'sample' };

/** A transport that records close() and never sends. */
export function recordingTransport(): Transport & { closed: number } {
  return {
    closed: 0,
    send: () => Promise.reject(new Error('the conformance check sends nothing')),
    close() {
      this.closed++;
    },
  };
}

/** Every deviation of one package from the conventions, minus the documented exemptions. */
export async function deviations(pkg: PackageUnderTest, exemptions: readonly Exemption[] = []): Promise<string[]> {
  const found: string[] = [];
  const report = (name: string, rule: Rule, what: string): void => {
    if (exemptions.some((e) => e.package === pkg.name && e.export === name && e.rule === rule)) return;
    found.push(`${pkg.name}.${name}: ${rule}: ${what}`);
  };
  for (const [name, value] of Object.entries(pkg.exports)) {
    if (isErrorClass(value)) checkError(pkg, name, value, report);
    if (pkg.name !== RUNTIME && WAIT_HELPER.test(name)) {
      report(name, 'one-poll', `waits use @kz/soap's poll, sleep and WaitTimeoutError, not a package's own`);
    }
    if (typeof value === 'function' && FACTORY.test(name)) await checkFactory(pkg, name, value, report);
  }
  return found;
}

type Report = (name: string, rule: Rule, what: string) => void;

function isErrorClass(value: unknown): value is new (...args: never[]) => Error {
  return typeof value === 'function' && (value === Error || value.prototype instanceof Error);
}

function checkError(pkg: PackageUnderTest, name: string, cls: new (...args: never[]) => Error, report: Report): void {
  if (cls !== KzError && !(cls.prototype instanceof KzError)) {
    report(name, 'error-family', 'an exported error class outside the KzError family');
    return;
  }
  const sample = pkg.errorSamples?.[name]?.() ?? faultSample(cls);
  if (sample === undefined) {
    report(name, 'error-sample', 'no sample instance to check its code (add one to the package table)');
    return;
  }
  if (!(sample instanceof cls)) report(name, 'error-sample', 'the sample is not an instance of the class');
  const code = (sample as KzError).code;
  if (!LISTED_CODES.has(code)) report(name, 'error-code', `code ${String(code)} is not in KZ_ERROR_CODES`);
}

/** A fault class (SoapFaultError subclass with the SoapFaultClass constructor) built from a plain fault. */
function faultSample(cls: new (...args: never[]) => Error): unknown {
  if (cls !== SoapFaultError && !(cls.prototype instanceof SoapFaultError)) return undefined;
  const Fault = cls as unknown as new (context: object, fault: object, status: number) => Error;
  try {
    return new Fault(SAMPLE_CONTEXT, { faultCode: 'soap:Server', reason: 'sample', detail: undefined }, 500);
  } catch {
    return undefined;
  }
}

async function checkFactory(pkg: PackageUnderTest, name: string, factory: unknown, report: Report): Promise<void> {
  const fixture = pkg.factories?.[name];
  if (!fixture) {
    report(name, 'factory-fixture', 'a client factory without minimal options in the package table');
    return;
  }
  const create = factory as (options: Record<string, unknown>) => Record<string | symbol, unknown>;
  const { endpoint: _, ...withoutEndpoint } = fixture(recordingTransport());
  let refusal: unknown;
  try {
    create(withoutEndpoint);
  } catch (error) {
    refusal = error;
  }
  if (!(refusal instanceof KzError) || refusal.code !== 'CONFIG_ERROR' || !/\bendpoint\b/.test(refusal.message)) {
    report(name, 'endpoint-required', 'without endpoint it must throw KzError CONFIG_ERROR naming `endpoint`');
  }
  const transport = recordingTransport();
  const client = create(fixture(transport));
  if (client.operations === undefined)
    report(name, 'operations', 'the client has no `operations` (the generated client)');
  if (typeof client.close !== 'function') report(name, 'close', 'the client has no close()');
  const dispose = client[Symbol.asyncDispose];
  if (typeof dispose !== 'function') {
    report(name, 'async-dispose', 'the client has no [Symbol.asyncDispose]');
    return;
  }
  await (dispose as () => Promise<void>).call(client);
  if (transport.closed === 0) report(name, 'async-dispose', 'await using did not release the transport');
}
