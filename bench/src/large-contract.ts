/**
 * A large WSDL built deterministically for codegen-large: an "enterprise gateway" of the shape
 * the state systems publish (SOAP 1.1, document/literal wrapped, one qualified schema inline),
 * with many entities. Each entity has an enumeration, a line type and its ArrayOf wrapper, a
 * record of every common XSD kind (long, int, decimal, dateTime, date, boolean, string with
 * facets, base64Binary, nillable and optional fields, a shared address type) and documentation
 * on every field, plus three operations (Get, List, Save). No randomness: the same count gives
 * the same bytes.
 */

const TNS = 'urn:kz-clients:bench:large-gateway';

const NOUNS = [
  'Invoice',
  'Account',
  'Payment',
  'Contract',
  'Declaration',
  'Waybill',
  'Receipt',
  'Permit',
  'License',
  'Vehicle',
  'Parcel',
  'Meter',
  'Tariff',
  'Subsidy',
  'Refund',
  'Claim',
];
const AREAS = ['Tax', 'Customs', 'Utility', 'Transport', 'Energy', 'Water', 'Housing', 'Land', 'Labor', 'Health'];
const STATUSES = ['Draft', 'Submitted', 'Accepted', 'Rejected', 'Cancelled', 'Archived'];

function doc(text: string): string {
  return `<xs:annotation><xs:documentation xml:lang="ru">${text}</xs:documentation></xs:annotation>`;
}

function field(name: string, type: string, extra: string, note: string): string {
  return `          <xs:element name="${name}" type="${type}"${extra}>${doc(note)}</xs:element>\n`;
}

function entitySchema(e: string, index: number): string {
  const enumeration = STATUSES.map(
    (s) => `          <xs:enumeration value="${s}">${doc(`Состояние ${s} записи ${e}.`)}</xs:enumeration>\n`,
  ).join('');
  return `      <xs:simpleType name="${e}Status">
        ${doc(`Состояние записи ${e} (справочник ${index}).`)}
        <xs:restriction base="xs:string">
${enumeration}        </xs:restriction>
      </xs:simpleType>
      <xs:complexType name="${e}Line">
        <xs:sequence>
${field('LineNo', 'xs:int', '', 'Номер строки, начиная с 1.')}${field('ProductCode', 'xs:string', '', 'Код товара или услуги по справочнику.')}${field('ProductName', 'xs:string', ' minOccurs="0"', 'Наименование товара или услуги.')}${field('Quantity', 'xs:decimal', '', 'Количество, до шести знаков после запятой.')}${field('UnitPrice', 'xs:decimal', '', 'Цена за единицу, тенге.')}${field('Amount', 'xs:decimal', '', 'Сумма строки, тенге.')}${field('VatRate', 'xs:decimal', ' minOccurs="0"', 'Ставка НДС, процентов.')}        </xs:sequence>
      </xs:complexType>
      <xs:complexType name="ArrayOf${e}Line">
        <xs:sequence>
          <xs:element name="${e}Line" type="tns:${e}Line" minOccurs="0" maxOccurs="unbounded" nillable="true"/>
        </xs:sequence>
      </xs:complexType>
      <xs:complexType name="${e}">
        ${doc(`Запись ${e}: ${index}-я сущность шлюза.`)}
        <xs:sequence>
${field('Id', 'xs:long', '', 'Идентификатор записи в системе оператора.')}${field('Number', 'tns:DocumentNumber', '', 'Регистрационный номер документа.')}${field('Status', `tns:${e}Status`, '', 'Текущее состояние.')}${field('CreatedAt', 'xs:dateTime', '', 'Дата и время создания, время Астаны.')}${field('ValidFrom', 'xs:date', ' minOccurs="0"', 'Начало срока действия.')}${field('ValidTo', 'xs:date', ' minOccurs="0" nillable="true"', 'Окончание срока действия; пусто: бессрочно.')}${field('SellerBin', 'tns:Bin', '', 'БИН поставщика.')}${field('BuyerIin', 'tns:Iin', ' minOccurs="0"', 'ИИН покупателя, физического лица.')}${field('Total', 'xs:decimal', '', 'Итоговая сумма, тенге.')}${field('Items', 'xs:int', '', 'Количество строк.')}${field('Paid', 'xs:boolean', '', 'Оплачено полностью.')}${field('Address', 'tns:Address', ' minOccurs="0"', 'Адрес объекта.')}${field('Lines', `tns:ArrayOf${e}Line`, ' minOccurs="0"', 'Строки документа.')}${field('Attachment', 'xs:base64Binary', ' minOccurs="0"', 'Приложенный файл, PDF.')}${field('Comment', 'xs:string', ' minOccurs="0" nillable="true"', 'Произвольный комментарий.')}        </xs:sequence>
      </xs:complexType>
      <xs:complexType name="ArrayOf${e}">
        <xs:sequence>
          <xs:element name="${e}" type="tns:${e}" minOccurs="0" maxOccurs="unbounded" nillable="true"/>
        </xs:sequence>
      </xs:complexType>
      <xs:element name="Get${e}">
        <xs:complexType>
          <xs:sequence>
${field('Id', 'xs:long', '', 'Идентификатор записи.')}${field('SenderBin', 'tns:Bin', '', 'БИН отправителя запроса.')}          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="Get${e}Response">
        <xs:complexType>
          <xs:sequence>
${field(`Get${e}Result`, `tns:${e}`, ' minOccurs="0"', 'Найденная запись.')}          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="List${e}s">
        <xs:complexType>
          <xs:sequence>
${field('From', 'xs:dateTime', '', 'Начало периода.')}${field('To', 'xs:dateTime', '', 'Конец периода.')}${field('Status', `tns:${e}Status`, ' minOccurs="0"', 'Только записи в этом состоянии.')}${field('Page', 'xs:int', '', 'Номер страницы, с 0.')}${field('PageSize', 'xs:int', '', 'Записей на странице, до 1000.')}          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="List${e}sResponse">
        <xs:complexType>
          <xs:sequence>
${field(`List${e}sResult`, `tns:ArrayOf${e}`, ' minOccurs="0"', 'Страница записей.')}${field('Total', 'xs:int', '', 'Всего записей за период.')}          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="Save${e}">
        <xs:complexType>
          <xs:sequence>
${field('Record', `tns:${e}`, '', 'Сохраняемая запись.')}${field('RequestId', 'xs:string', '', 'Идентификатор запроса для идемпотентности.')}          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="Save${e}Response">
        <xs:complexType>
          <xs:sequence>
${field(`Save${e}Result`, 'xs:long', '', 'Идентификатор сохранённой записи.')}          </xs:sequence>
        </xs:complexType>
      </xs:element>
`;
}

const OPERATIONS = (e: string) => [`Get${e}`, `List${e}s`, `Save${e}`];

/** The entity names: area × noun, then numbered rounds of them. */
export function entityNames(count: number): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    const base = `${AREAS[i % AREAS.length]}${NOUNS[Math.floor(i / AREAS.length) % NOUNS.length]}`;
    const round = Math.floor(i / (AREAS.length * NOUNS.length));
    names.push(round === 0 ? base : `${base}V${round + 1}`);
  }
  return names;
}

/** The WSDL text for `count` entities (3 operations each). About 8.5 KB per entity. */
export function largeWsdl(count: number): string {
  const entities = entityNames(count);
  const shared = `      <xs:simpleType name="Bin">${doc('БИН: 12 цифр.')}<xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="Iin">${doc('ИИН: 12 цифр.')}<xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="DocumentNumber"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="50"/></xs:restriction></xs:simpleType>
      <xs:complexType name="Address">
        <xs:sequence>
${field('Region', 'xs:string', '', 'Область.')}${field('City', 'xs:string', '', 'Населённый пункт.')}${field('Street', 'xs:string', ' minOccurs="0"', 'Улица.')}${field('House', 'xs:string', ' minOccurs="0"', 'Дом.')}${field('Flat', 'xs:string', ' minOccurs="0"', 'Квартира.')}${field('Kato', 'xs:string', ' minOccurs="0"', 'Код КАТО.')}        </xs:sequence>
      </xs:complexType>
`;
  const operations = entities.flatMap(OPERATIONS);
  const messages = operations
    .map(
      (op) => `  <wsdl:message name="${op}SoapIn">
    <wsdl:part name="parameters" element="tns:${op}"/>
  </wsdl:message>
  <wsdl:message name="${op}SoapOut">
    <wsdl:part name="parameters" element="tns:${op}Response"/>
  </wsdl:message>
`,
    )
    .join('');
  const portOps = operations
    .map(
      (op) => `    <wsdl:operation name="${op}">
      <wsdl:input message="tns:${op}SoapIn"/>
      <wsdl:output message="tns:${op}SoapOut"/>
    </wsdl:operation>
`,
    )
    .join('');
  const bindingOps = operations
    .map(
      (op) => `    <wsdl:operation name="${op}">
      <soap:operation soapAction="${TNS}/${op}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${TNS}" targetNamespace="${TNS}">
  <wsdl:documentation>Synthetic large gateway for the codegen-large benchmark: ${count} entities, ${operations.length} operations (bench/src/large-contract.ts).</wsdl:documentation>
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="${TNS}">
${shared}${entities.map(entitySchema).join('')}    </xs:schema>
  </wsdl:types>
${messages}  <wsdl:portType name="LargeGatewaySoap">
${portOps}  </wsdl:portType>
  <wsdl:binding name="LargeGatewaySoap" type="tns:LargeGatewaySoap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
${bindingOps}  </wsdl:binding>
  <wsdl:service name="LargeGateway">
    <wsdl:port name="LargeGatewaySoap" binding="tns:LargeGatewaySoap">
      <soap:address location="http://127.0.0.1:9/LargeGateway"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
