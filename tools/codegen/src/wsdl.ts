/**
 * WSDL 1.1 -> service model: operations (document/literal, wrapped or bare), their SOAP
 * actions per binding, safety marks, the service name and address.
 */
import type { SoapVersion } from '@kz/soap';
import type { LoadedContract } from './loader.js';
import { NS } from './loader.js';
import { camelCase, NameAllocator, typeName } from './naming.js';
import {
  attr,
  attrNS,
  ContractError,
  child,
  children,
  type QName,
  qkey,
  resolveQName,
  type XmlElement,
} from './xml.js';
import type { RootElement, SchemaModel } from './xsd.js';

export interface OperationModel {
  readonly name: string;
  readonly method: string;
  readonly doc?: string;
  readonly input: RootElement;
  readonly output?: RootElement;
  readonly soapAction: string;
  readonly soapAction12?: string;
  /** The binding style, 'document' or 'rpc' (soap:binding or soap:operation style). */
  readonly style?: string;
  readonly safe: boolean;
  /** rpc/encoded: soap:body use="encoded" (SOAP encoding). */
  readonly encoded?: boolean;
  /** The address of the operation's own port, when it differs from the service's default. */
  readonly endpoint?: string;
  /** The operation's wsdl:fault messages, each with the element its detail carries. */
  readonly faults?: readonly FaultModel[];
}

export interface FaultModel {
  /** The wsdl:fault name. */
  readonly name: string;
  readonly element: RootElement;
}

export interface ServiceModel {
  readonly serviceName: string;
  /** The wsdl:service's (else the definitions') wsdl:documentation. */
  readonly doc?: string;
  readonly className: string;
  readonly soapVersions: readonly SoapVersion[];
  readonly endpoint?: string;
  readonly operations: readonly OperationModel[];
  /** What was left out or assumed, one line each (shown by the CLI on stderr). */
  readonly notes: readonly string[];
}

interface Located<T> {
  readonly node: T;
  readonly source: string;
  readonly tns: string;
}

function index(contract: LoadedContract, local: string): Map<string, Located<XmlElement>> {
  const map = new Map<string, Located<XmlElement>>();
  for (const wsdl of contract.wsdls) {
    const tns = attr(wsdl.element, 'targetNamespace') ?? '';
    for (const node of children(wsdl.element, NS.wsdl, local)) {
      const name = attr(node, 'name');
      if (name) map.set(qkey({ ns: tns, name }), { node, source: wsdl.source, tns });
    }
  }
  return map;
}

function wsdlDoc(node: XmlElement): string | undefined {
  return child(node, NS.wsdl, 'documentation')?.text.trim() || undefined;
}

/**
 * The service of a loaded WSDL: its operations (from the portTypes its SOAP bindings bind), each
 * with its request/response elements built into `model`, SOAP actions, faults and safety, plus
 * the service name, SOAP versions and default endpoint. What it leaves out is listed in `notes`.
 * @throws ContractError when the WSDL is inconsistent (a missing message, portType or element).
 */
export function buildService(contract: LoadedContract, model: SchemaModel): ServiceModel {
  const messages = index(contract, 'message');
  const portTypes = index(contract, 'portType');
  const bindings = index(contract, 'binding');
  const services = index(contract, 'service');

  // SOAP bindings: which portType, which SOAP version, the action and body of each operation.
  const actions = new Map<string, { '1.1'?: string; '1.2'?: string }>();
  const bodies = new Map<string, BodyBinding>();
  /** Per operation, its wsdl:fault entries in every SOAP binding (checked against the portType's). */
  const boundFaults = new Map<string, BoundFault[]>();
  /** Per operation, the names of the SOAP bindings that bind it. */
  const operationBindings = new Map<string, string[]>();
  const boundPortTypes: string[] = [];
  const versions = new Set<SoapVersion>();
  const notes: string[] = [];
  /** Operation names per binding key, to find each operation's port. */
  const bindingOperations = new Map<string, string[]>();
  // A binding over another transport (WCF net.pipe, net.tcp) is left out when one over HTTP exists.
  const anyHttpBinding = [...bindings.values()].some((b) => {
    const soap = soapBindingOf(b.node);
    const transport = soap && attr(soap.element, 'transport');
    return soap !== undefined && (transport === undefined || !isOtherTransport(transport));
  });
  for (const [bindingKey, binding] of bindings) {
    const soap = soapBindingOf(binding.node);
    if (!soap) continue;
    const { version, element: soapBinding } = soap;
    const soapNs = version === '1.1' ? NS.soap : NS.soap12;
    const bindingStyle = attr(soapBinding, 'style') ?? 'document';
    const transport = attr(soapBinding, 'transport');
    if (transport && isOtherTransport(transport)) {
      const name = attr(binding.node, 'name');
      if (anyHttpBinding) {
        notes.push(
          `binding ${name}: its transport ${transport} is not HTTP; left out (the HTTP bindings are generated)`,
        );
        continue;
      }
      notes.push(
        `binding ${name}: its transport ${transport} is not HTTP; its operations are generated for SOAP ${version} over HTTP (give the client an HTTP endpoint)`,
      );
    }
    bindingOperations.set(
      bindingKey,
      children(binding.node, NS.wsdl, 'operation').map((o) => attr(o, 'name') ?? ''),
    );
    versions.add(version);
    const typeAttr = attr(binding.node, 'type');
    if (typeAttr) {
      const key = qkey(resolveQName(binding.node, typeAttr, binding.source));
      if (!boundPortTypes.includes(key)) boundPortTypes.push(key);
    }
    for (const operation of children(binding.node, NS.wsdl, 'operation')) {
      const name = attr(operation, 'name') ?? '';
      const soapOperation = child(operation, soapNs, 'operation');
      const entry = actions.get(name) ?? {};
      entry[version] = soapOperation ? (attr(soapOperation, 'soapAction') ?? '') : '';
      actions.set(name, entry);
      const body: BodyBinding = { style: (soapOperation && attr(soapOperation, 'style')) ?? bindingStyle };
      for (const direction of ['input', 'output'] as const) {
        const soapBody = child(child(operation, NS.wsdl, direction) ?? operation, soapNs, 'body');
        if (soapBody && attr(soapBody, 'use') === 'encoded') body.encoded = true;
        const parts = soapBody && attr(soapBody, 'parts');
        const namespace = soapBody && attr(soapBody, 'namespace');
        body[direction] = {
          ...(parts !== undefined && parts !== null ? { parts: parts.split(/\s+/).filter(Boolean) } : {}),
          ...(namespace ? { namespace } : {}),
        };
      }
      if (!bodies.has(name)) bodies.set(name, body);
      operationBindings.set(name, [...(operationBindings.get(name) ?? []), attr(binding.node, 'name') ?? '']);
      const bound = boundFaults.get(name) ?? [];
      for (const fault of children(operation, NS.wsdl, 'fault')) {
        const soapFault = child(fault, soapNs, 'fault');
        bound.push({
          binding: attr(binding.node, 'name') ?? '',
          name: attr(fault, 'name') ?? '',
          soapFault: soapFault !== undefined,
          soapName: soapFault ? attr(soapFault, 'name') : undefined,
          use: soapFault ? attr(soapFault, 'use') : undefined,
        });
      }
      boundFaults.set(name, bound);
    }
  }
  const portTypeKeys = boundPortTypes.length > 0 ? boundPortTypes : [...portTypes.keys()];
  if (boundPortTypes.length === 0 && portTypes.size > 0) {
    notes.push(
      'no SOAP binding (an abstract WSDL): operations generated as SOAP 1.1 document/literal with an empty SOAPAction, no address (give the client an endpoint)',
    );
  }

  const methods = new NameAllocator(['soap', 'constructor', 'close']);
  const seen = new Set<string>();
  const operations: OperationModel[] = [];
  for (const key of portTypeKeys) {
    const portType = portTypes.get(key);
    if (!portType)
      throw new ContractError(`${contract.main}: a binding refers to portType ${key}, which no loaded WSDL declares`);
    for (const operation of children(portType.node, NS.wsdl, 'operation')) {
      const name = attr(operation, 'name') ?? '';
      if (!name || seen.has(name)) continue;
      seen.add(name);
      const body = bodies.get(name) ?? { style: 'document' };
      const io = (direction: 'input' | 'output') =>
        payloadElement(child(operation, NS.wsdl, direction), direction, body, messages, model, portType, name);
      const input = io('input');
      const output = io('output');
      if (!child(operation, NS.wsdl, 'input') || serverInitiated(operation)) {
        // Notification / solicit-response: the service sends first, a client has nothing to call.
        notes.push(
          `operation ${name} is ${input ? 'solicit-response' : 'a notification'} (the service sends first): its message types are generated, no client method`,
        );
        continue;
      }
      if (!input) throw new ContractError(`${portType.source}: operation ${name} has no input message`);
      const action = actions.get(name) ?? {};
      const doc = wsdlDoc(operation);
      const faults = faultsOf(operation, messages, model, portType, name, notes);
      if (operationBindings.has(name))
        checkBoundFaults(name, faults, operationBindings.get(name) ?? [], boundFaults.get(name) ?? [], notes);
      operations.push({
        name,
        method: methods.allocate(camelCase(name)),
        ...(doc ? { doc } : {}),
        input,
        ...(output ? { output } : {}),
        soapAction: action['1.1'] ?? action['1.2'] ?? '',
        ...(action['1.2'] !== undefined && action['1.2'] !== (action['1.1'] ?? action['1.2'])
          ? { soapAction12: action['1.2'] }
          : {}),
        style: body.style,
        safe: attrNS(operation, NS.wsdlx, 'safe') === 'true',
        ...(body.encoded ? { encoded: true } : {}),
        ...(faults.length > 0 ? { faults } : {}),
      });
    }
  }

  const definitions = contract.wsdls[0]?.element;
  const service = services.values().next().value as Located<XmlElement> | undefined;
  const serviceName =
    (service && attr(service.node, 'name')) ??
    (definitions && attr(definitions, 'name')) ??
    portTypeKeys[0]?.replace(/^\{.*\}/, '') ??
    'Service';
  const soapVersions = (['1.1', '1.2'] as const).filter((v) => versions.has(v));
  const ports = service ? portAddresses(service.node, service.source) : [];
  const endpoint = (ports.find((p) => isHttp(p.location)) ?? ports[0])?.location;
  if (ports.length > 0 && !ports.some((p) => isHttp(p.location))) {
    notes.push(`no port has an HTTP address (${ports[0]?.location}): the client has no default endpoint`);
  }
  const base = typeName(serviceName);
  const doc = (service && wsdlDoc(service.node)) ?? (definitions && wsdlDoc(definitions));
  return {
    serviceName,
    ...(doc ? { doc } : {}),
    className: base.endsWith('Client') ? base : `${base}Client`,
    soapVersions: soapVersions.length > 0 ? soapVersions : ['1.1'],
    ...(endpoint && isHttp(endpoint) ? { endpoint } : {}),
    operations: operations.map((op) => {
      const own = operationAddress(op.name, ports, bindingOperations);
      return own && own !== endpoint ? { ...op, endpoint: own } : op;
    }),
    notes,
  };
}

const HTTP_TRANSPORTS = ['http://schemas.xmlsoap.org/soap/http', 'http://www.w3.org/2003/05/soap/bindings/HTTP/'];

/** A transport URI that is not SOAP over HTTP (tolerating a trailing slash or its absence). */
const isOtherTransport = (transport: string): boolean =>
  !HTTP_TRANSPORTS.some((http) => http.replace(/\/$/, '') === transport.replace(/\/$/, ''));

/** The soap:binding or soap12:binding of a WSDL binding, with its SOAP version. */
function soapBindingOf(binding: XmlElement): { version: SoapVersion; element: XmlElement } | undefined {
  const soap11 = child(binding, NS.soap, 'binding');
  if (soap11) return { version: '1.1', element: soap11 };
  const soap12 = child(binding, NS.soap12, 'binding');
  return soap12 ? { version: '1.2', element: soap12 } : undefined;
}

const isHttp = (location: string): boolean => /^https?:\/\//i.test(location);

/** The service's ports in document order: their binding and SOAP address. */
function portAddresses(service: XmlElement, source: string): { binding: string; location: string }[] {
  const ports: { binding: string; location: string }[] = [];
  for (const port of children(service, NS.wsdl, 'port')) {
    const address = child(port, NS.soap, 'address') ?? child(port, NS.soap12, 'address');
    const location = address && attr(address, 'location');
    const binding = attr(port, 'binding');
    if (location) ports.push({ binding: binding ? qkey(resolveQName(port, binding, source)) : '', location });
  }
  return ports;
}

/** The HTTP address of the first port whose binding binds the operation. */
function operationAddress(
  operation: string,
  ports: readonly { binding: string; location: string }[],
  bindingOperations: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  return ports.find((p) => isHttp(p.location) && bindingOperations.get(p.binding)?.includes(operation))?.location;
}

/** Whether the portType operation lists its output first (notification, solicit-response). */
function serverInitiated(operation: XmlElement): boolean {
  const first = operation.children.find((c) => c.ns === NS.wsdl && (c.local === 'input' || c.local === 'output'));
  return first?.local === 'output';
}

interface BodyBinding {
  style: string;
  /** Some direction has soap:body use="encoded". */
  encoded?: boolean;
  input?: { parts?: string[]; namespace?: string };
  output?: { parts?: string[]; namespace?: string };
}

/**
 * The element an operation's message puts in the Body. document/literal: the message's one body
 * part, an element. rpc/literal: a wrapper named after the operation (its response: + "Response")
 * in the soap:body namespace, holding one unqualified child per part (WSDL 1.1 section 3.5).
 */
function payloadElement(
  io: XmlElement | undefined,
  direction: 'input' | 'output',
  body: BodyBinding,
  messages: Map<string, Located<XmlElement>>,
  model: SchemaModel,
  portType: Located<XmlElement>,
  operation: string,
): RootElement | undefined {
  const messageAttr = io && attr(io, 'message');
  if (!io || !messageAttr) return undefined;
  const q: QName = resolveQName(io, messageAttr, portType.source);
  const message = messages.get(qkey(q));
  if (!message) {
    throw new ContractError(
      `${portType.source}: operation ${operation} refers to message ${q.name}, which is not declared`,
    );
  }
  const wanted = body[direction]?.parts;
  const parts = children(message.node, NS.wsdl, 'part').filter(
    (p) => !wanted || wanted.includes(attr(p, 'name') ?? ''),
  );
  const where = `${message.source} (operation ${operation})`;
  if (body.style === 'rpc') {
    const name = direction === 'input' ? operation : `${operation}Response`;
    const ns = body[direction]?.namespace ?? portType.tns;
    const elements = parts.map((part) => {
      const partName = attr(part, 'name') ?? '';
      const element = attr(part, 'element');
      if (element) {
        const root = model.rootElement(resolveQName(part, element, message.source), where);
        return { prop: root.name, name: root.name, ns: root.ns, type: root.type, min: 1, max: 1 };
      }
      const type = attr(part, 'type');
      if (!type) throw new ContractError(`${where}: part ${partName} has neither element nor type`);
      const typeName = resolveQName(part, type, message.source);
      const array = body.encoded ? model.soapArrayOf(typeName, where) : undefined;
      if (array) {
        const { type: itemType, nillable, ...item } = array;
        const itemMeta = { ...item, ...(nillable ? { nillable } : {}) };
        return { prop: partName, name: partName, ns: '', type: itemType, min: 1, max: 1, item: itemMeta };
      }
      return { prop: partName, name: partName, ns: '', type: model.typeRef(typeName, where), min: 1, max: 1 };
    });
    return { name, ns, type: model.addWrapperType(name, elements), nillable: false };
  }
  if (parts.length === 0) return undefined;
  if (parts.length > 1) {
    throw new ContractError(
      `${where}: message ${q.name} puts ${parts.length} parts in the Body; kz-codegen supports one body part per document/literal message (name the body part with soap:body parts="...")`,
    );
  }
  const part = parts[0] as XmlElement;
  const element = attr(part, 'element');
  if (!element) {
    throw new ContractError(
      `${where}: message ${q.name} uses a type= part in a document-style binding; it needs an element= part`,
    );
  }
  return model.rootElement(resolveQName(part, element, message.source), where);
}

/** A binding's wsdl:fault of an operation, with its soap:fault (or soap12:fault). */
interface BoundFault {
  readonly binding: string;
  readonly name: string;
  readonly soapFault: boolean;
  readonly soapName: string | undefined;
  readonly use: string | undefined;
}

/**
 * The binding's faults against the portType's (WSDL 1.1 section 3.6, WS-I BP R2721, R2754): a
 * bound fault the portType lacks is ignored, a declared fault the binding leaves out, a bound one
 * without soap:fault, a soap:fault named otherwise and an encoded one are generated as declared;
 * each mismatch is said in one line. The classes come from the portType's faults either way.
 */
function checkBoundFaults(
  operation: string,
  faults: readonly FaultModel[],
  bindings: readonly string[],
  bound: readonly BoundFault[],
  notes: string[],
): void {
  const declared = new Set(faults.map((f) => f.name));
  for (const fault of bound) {
    const where = `operation ${operation}: binding ${fault.binding} fault ${fault.name}`;
    if (!declared.has(fault.name)) {
      notes.push(`${where} is not a fault of the portType operation; ignored`);
      continue;
    }
    if (!fault.soapFault) notes.push(`${where} has no soap:fault; read as use="literal"`);
    else if (fault.soapName !== undefined && fault.soapName !== fault.name)
      notes.push(`${where}: its soap:fault is named ${fault.soapName}; the wsdl:fault name is used`);
    if (fault.use === 'encoded') notes.push(`${where} is use="encoded": its detail is read by the literal rules`);
  }
  for (const fault of faults) {
    const missing = bindings.filter((b) => !bound.some((f) => f.binding === b && f.name === fault.name));
    if (missing.length > 0)
      notes.push(
        `operation ${operation}: fault ${fault.name} is not bound in binding ${missing.join(', ')}; its class is generated from the portType all the same`,
      );
  }
}

/**
 * The wsdl:fault messages of a portType operation: each message's one part names the element a
 * fault's detail carries (WSDL 1.1 section 3.6; soap:fault in the binding only repeats the name).
 * A fault message without an element part is left out with a note: its details stay raw XML.
 */
function faultsOf(
  operation: XmlElement,
  messages: Map<string, Located<XmlElement>>,
  model: SchemaModel,
  portType: Located<XmlElement>,
  name: string,
  notes: string[],
): FaultModel[] {
  const faults: FaultModel[] = [];
  const names = new Set<string>();
  for (const fault of children(operation, NS.wsdl, 'fault')) {
    const faultName = attr(fault, 'name') ?? '';
    // Binding faults are matched by name (WSDL 1.1 section 2.4.5): two of one name are ambiguous.
    if (names.has(faultName))
      throw new ContractError(`${portType.source}: operation ${name} declares fault ${faultName} twice`);
    names.add(faultName);
    const messageAttr = attr(fault, 'message');
    const message = messageAttr && messages.get(qkey(resolveQName(fault, messageAttr, portType.source)));
    const part = message ? children(message.node, NS.wsdl, 'part')[0] : undefined;
    const element = part && attr(part, 'element');
    if (!message || !part || !element) {
      notes.push(`operation ${name}: fault ${faultName} has no message with an element part; its detail stays raw XML`);
      continue;
    }
    const where = `${message.source} (operation ${name}, fault ${faultName})`;
    faults.push({ name: faultName, element: model.rootElement(resolveQName(part, element, message.source), where) });
  }
  return faults;
}
