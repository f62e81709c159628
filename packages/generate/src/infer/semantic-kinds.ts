/**
 * The semantic kinds Understudy recognises from column names, in the order they
 * are tried (specific before general: `email_address` is an e-mail, not an
 * address; `filename` is a file name, not a first name). A rule matches a
 * token-aligned suffix of the name (`billing_email` → `email`), and applies only
 * to the column kinds it lists.
 *
 * @example
 * ```ts
 * SEMANTIC_RULES.find((r) => r.kind === 'email')!.names; // ['email', 'emailaddress', …]
 * ```
 */
import type { ColumnKind } from '@understudy/core';

export type KindFamily = 'text' | 'int' | 'decimal' | 'float' | 'date' | 'timestamp' | 'time' | 'bool' | 'inet' | 'uuid' | 'macaddr' | 'year';

export const FAMILY_KINDS: Record<KindFamily, readonly ColumnKind[]> = {
  text: ['char', 'varchar', 'text', 'citext'],
  int: ['tinyint', 'smallint', 'mediumint', 'integer', 'bigint'],
  decimal: ['decimal', 'money'],
  float: ['real', 'double'],
  date: ['date'],
  timestamp: ['timestamp', 'timestamptz'],
  time: ['time', 'timetz'],
  bool: ['boolean'],
  inet: ['inet', 'cidr'],
  uuid: ['uuid'],
  macaddr: ['macaddr', 'macaddr8'],
  year: ['year'],
};

const NUMBER: KindFamily[] = ['int', 'decimal', 'float'];
const TEXT: KindFamily[] = ['text'];
const TIME: KindFamily[] = ['date', 'timestamp'];

export interface SemanticRule {
  readonly kind: string;
  /** Token-aligned name suffixes, joined without separators (`emailaddress`). */
  readonly names: readonly string[];
  /** First-token prefixes (`is`, `has`) that also match, for flags. */
  readonly prefixes?: readonly string[];
  readonly families: readonly KindFamily[];
}

const rule = (kind: string, families: KindFamily[], names: string[], prefixes?: string[]): SemanticRule =>
  prefixes ? { kind, names, families, prefixes } : { kind, names, families };

/** The rules, in the order they are tried. */
export const SEMANTIC_RULES: readonly SemanticRule[] = [
  rule('password_hash', TEXT, ['passwordhash', 'passwdhash', 'pwhash', 'pwdhash', 'passworddigest', 'encryptedpassword', 'hashedpassword', 'cryptedpassword']),
  rule('password', TEXT, ['password', 'passwd', 'pwd', 'pass']),
  rule('email', TEXT, ['email', 'emailaddress', 'emailaddr', 'mail', 'mailaddress']),
  rule('file_name', TEXT, ['filename', 'attachmentname', 'documentname', 'originalfilename', 'attachment']),
  rule('file_path', TEXT, ['filepath', 'path', 'filelocation', 'storagepath', 'storagekey', 'objectkey']),
  rule('mime_type', TEXT, ['mimetype', 'contenttype', 'mediatype', 'mime', 'filetype']),
  rule('file_size', ['int', 'decimal'], ['filesize', 'sizebytes', 'sizeinbytes', 'bytes', 'contentlength', 'bytesize', 'filesizebytes']),
  rule('avatar_url', TEXT, ['avatarurl', 'avatar', 'photourl', 'pictureurl', 'imageurl', 'profileimage', 'profilepicture', 'thumbnailurl', 'thumbnail', 'image', 'picture', 'photo', 'logourl', 'logo']),
  rule('url', TEXT, ['url', 'uri', 'website', 'homepage', 'link', 'websiteurl', 'homepageurl', 'href', 'webpage', 'site']),
  rule('ip_address', ['text', 'inet'], ['ip', 'ipaddress', 'ipaddr', 'remoteaddr', 'remoteip', 'clientip', 'lastloginip', 'ipv4', 'sourceip']),
  rule('mac_address', ['text', 'macaddr'], ['macaddress', 'mac', 'macaddr', 'hwaddress']),
  rule('user_agent', TEXT, ['useragent', 'ua', 'browseragent']),
  rule('domain_name', TEXT, ['domain', 'domainname', 'hostname', 'host', 'fqdn']),
  rule('username', TEXT, ['username', 'login', 'loginname', 'nickname', 'screenname', 'userlogin', 'nick', 'handle', 'accountname']),
  rule('first_name', TEXT, ['firstname', 'givenname', 'forename', 'fname', 'first']),
  rule('last_name', TEXT, ['lastname', 'surname', 'familyname', 'lname', 'last']),
  rule('middle_name', TEXT, ['middlename', 'middleinitial', 'mname']),
  rule('full_name', TEXT, ['fullname', 'displayname', 'contactname', 'personname', 'customername', 'employeename', 'authorname', 'ownername', 'recipientname', 'shipname', 'holdername', 'cardholdername', 'billingname', 'shippingname']),
  rule('name_prefix', TEXT, ['nameprefix', 'salutation', 'honorific', 'titleofcourtesy', 'courtesytitle']),
  rule('company_name', TEXT, ['company', 'companyname', 'organization', 'organisation', 'organizationname', 'employer', 'businessname', 'vendorname', 'suppliername', 'publisher', 'manufacturer', 'brand', 'brandname', 'firm']),
  rule('job_title', TEXT, ['jobtitle', 'occupation', 'designation', 'jobposition', 'profession', 'position']),
  rule('fax', TEXT, ['fax', 'faxnumber', 'faxno']),
  rule('phone', TEXT, ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'cellphone', 'cell', 'mobilephone', 'homephone', 'workphone', 'phoneno', 'contactnumber', 'msisdn', 'mobilenumber']),
  rule('phone_extension', TEXT, ['extension', 'ext', 'phoneextension']),
  rule('address_line2', TEXT, ['address2', 'addressline2', 'street2', 'addr2', 'secondaryaddress', 'apartment', 'suite', 'aptsuite']),
  rule('street_address', TEXT, ['address', 'streetaddress', 'address1', 'addressline1', 'addressline', 'street1', 'addr', 'addr1', 'billingaddress', 'shippingaddress', 'homeaddress', 'mailingaddress', 'shipaddress']),
  rule('street_name', TEXT, ['street', 'streetname']),
  rule('building_number', ['text', 'int'], ['buildingnumber', 'housenumber', 'streetnumber', 'houseno']),
  rule('city', TEXT, ['city', 'town', 'cityname', 'municipality', 'locality', 'shipcity']),
  rule('district', TEXT, ['district', 'neighborhood', 'neighbourhood', 'borough', 'suburb']),
  rule('county', TEXT, ['county']),
  rule('state', TEXT, ['state', 'province', 'region', 'stateprovince', 'statecode', 'stateorprovince', 'prefecture', 'shipregion']),
  rule('postal_code', ['text', 'int'], ['zip', 'zipcode', 'postalcode', 'postcode', 'postal', 'zippostalcode', 'shippostalcode', 'plz']),
  rule('country_code', TEXT, ['countrycode', 'countryiso', 'iso', 'isocode', 'iso2', 'iso3', 'countryalpha2', 'countryiso2', 'isocountry']),
  rule('country', TEXT, ['country', 'countryname', 'nationality', 'shipcountry']),
  rule('latitude', [...NUMBER, 'text'], ['lat', 'latitude']),
  rule('longitude', [...NUMBER, 'text'], ['lng', 'lon', 'long', 'longitude']),
  rule('timezone', TEXT, ['timezone', 'tz', 'tzname', 'zoneinfo', 'timezonename']),
  rule('language', TEXT, ['language', 'lang', 'languagecode', 'langcode', 'preferredlanguage']),
  rule('locale', TEXT, ['locale', 'culture']),
  rule('currency', TEXT, ['currency', 'currencycode', 'currencyiso', 'ccy']),
  rule('iban', TEXT, ['iban']),
  rule('bic', TEXT, ['bic', 'swift', 'swiftcode', 'swiftbic', 'bankcode']),
  rule('credit_card', TEXT, ['creditcard', 'creditcardnumber', 'cardnumber', 'ccnumber', 'pan', 'cardno']),
  rule('card_cvv', ['text', 'int'], ['cvv', 'cvc', 'cvv2', 'securitycode']),
  rule('account_number', TEXT, ['accountnumber', 'accountno', 'bankaccount', 'bankaccountnumber']),
  rule('ssn', TEXT, ['ssn', 'socialsecuritynumber', 'nationalid', 'taxid', 'tin', 'nin']),
  rule('isbn', TEXT, ['isbn', 'isbn13', 'isbn10']),
  rule('barcode', TEXT, ['ean', 'barcode', 'upc', 'gtin', 'ean13']),
  rule('sku', TEXT, ['sku', 'productcode', 'itemcode', 'partnumber', 'partno', 'articlenumber', 'stockcode', 'modelnumber']),
  rule('vin', TEXT, ['vin', 'vehicleidentificationnumber']),
  rule('license_plate', TEXT, ['licenseplate', 'plate', 'numberplate', 'platenumber', 'licenceplate']),
  rule('order_number', TEXT, ['ordernumber', 'orderno', 'invoicenumber', 'invoiceno', 'referencenumber', 'reference', 'confirmationcode', 'confirmationnumber', 'trackingnumber', 'ref', 'bookingreference', 'receiptnumber']),
  rule('slug', TEXT, ['slug', 'permalink', 'urlkey', 'urlslug']),
  rule('token', TEXT, ['token', 'apikey', 'accesstoken', 'refreshtoken', 'secret', 'apisecret', 'sessionid', 'nonce', 'resettoken', 'authtoken', 'sessiontoken', 'clientsecret', 'salt']),
  rule('hash', TEXT, ['hash', 'checksum', 'digest', 'sha', 'sha1', 'sha256', 'md5', 'fingerprint', 'etag', 'contenthash']),
  rule('uuid', ['text', 'uuid'], ['uuid', 'guid', 'externalid', 'publicid', 'correlationid', 'requestid', 'traceid']),
  rule('version', ['text', 'int'], ['version', 'semver', 'appversion', 'versionnumber']),
  rule('color', TEXT, ['color', 'colour', 'hexcolor', 'colorhex', 'colorcode', 'colourcode']),
  rule('gender', TEXT, ['gender', 'sex']),
  rule('department', TEXT, ['department', 'dept', 'division', 'departmentname']),
  rule('genre', TEXT, ['genre', 'musicgenre']),
  rule('category', TEXT, ['category', 'categoryname', 'productcategory']),
  rule('tag', TEXT, ['tag', 'tags', 'label', 'keyword', 'keywords', 'hashtag']),
  rule('code', TEXT, ['code', 'shortcode', 'promocode', 'couponcode', 'voucher', 'vouchercode', 'discountcode', 'abbreviation', 'abbr', 'symbol', 'ticker']),
  rule('status', TEXT, ['status', 'orderstatus', 'paymentstatus', 'statuscode', 'lifecycle']),
  rule('role', TEXT, ['role', 'userrole', 'usertype', 'accounttype', 'membershiptype']),
  rule('priority', ['text', 'int'], ['priority', 'severity', 'urgency']),
  rule('product_name', TEXT, ['productname', 'itemname', 'product', 'item', 'productdescription']),
  rule('title', TEXT, ['title', 'headline', 'subject', 'heading', 'caption', 'pagetitle']),
  rule('description', TEXT, ['description', 'desc', 'summary', 'details', 'about', 'overview', 'abstract', 'synopsis', 'blurb']),
  rule('comment', TEXT, ['comment', 'comments', 'note', 'notes', 'remark', 'remarks', 'body', 'content', 'message', 'text', 'feedback', 'review', 'bio', 'biography', 'memo', 'instructions', 'reason']),
  rule('identifier', TEXT, ['id', 'identifier', 'number', 'no', 'num', 'nr']),
  rule('name', TEXT, ['name']),
  rule('created_at', TIME, ['createdat', 'created', 'createdon', 'createdate', 'createddate', 'creationdate', 'datecreated', 'insertedat', 'createtime', 'creationtime', 'createdtime', 'dateadded', 'addedon', 'addedat', 'registeredat', 'signupdate', 'joinedat', 'joindate', 'registrationdate', 'createts', 'createdts']),
  rule('updated_at', TIME, ['updatedat', 'updated', 'updatedon', 'modifiedat', 'modified', 'modifiedon', 'lastupdate', 'lastupdated', 'lastmodified', 'datemodified', 'updatetime', 'changedat', 'modifieddate', 'updateddate', 'lastchanged', 'updatedts', 'lastupdatedat', 'lastmodifiedat']),
  rule('deleted_at', TIME, ['deletedat', 'deletedon', 'removedat', 'archivedat', 'deleteddate', 'canceledat', 'cancelledat']),
  rule('birth_date', TIME, ['birthdate', 'dateofbirth', 'dob', 'birthday', 'born', 'bornon', 'birthdt']),
  rule('expires_at', TIME, ['expiresat', 'expiry', 'expirydate', 'expirationdate', 'validuntil', 'expires', 'expireson', 'expiration', 'validthrough']),
  rule('hire_date', TIME, ['hiredate', 'hiredat', 'startdate', 'employmentdate', 'datehired']),
  rule('last_seen_at', TIME, ['lastlogin', 'lastloginat', 'lastseen', 'lastseenat', 'lastactive', 'lastactivity', 'lastaccess', 'lastaccessedat', 'lastsignin', 'lastsigninat']),
  rule('event_time', TIME, ['at', 'on', 'date', 'time', 'timestamp', 'datetime', 'dt', 'ts', 'when']),
  rule('epoch_time', ['int'], ['at', 'ts', 'timestamp', 'epoch', 'unixtime', 'epochms', 'epochmillis', 'timestampms', 'atms', 'tsms', 'createdat', 'updatedat', 'deletedat', 'expiresat', 'lastseenat', 'lastloginat']),
  rule('birth_year', ['int', 'year', 'text'], ['birthyear', 'yearofbirth']),
  rule('year', ['int', 'year', 'text'], ['year', 'yr', 'fiscalyear', 'releaseyear', 'modelyear', 'publicationyear', 'publishedyear']),
  rule('month', ['int'], ['month', 'monthnumber']),
  rule('age', ['int', 'decimal'], ['age', 'ageyears']),
  rule('price', NUMBER, ['price', 'unitprice', 'listprice', 'cost', 'unitcost', 'msrp', 'rentalrate', 'replacementcost', 'fee', 'saleprice', 'retailprice', 'priceusd', 'pricecents', 'baseprice', 'hourlyrate']),
  rule('total', NUMBER, ['total', 'grandtotal', 'totalamount', 'totalprice', 'ordertotal', 'totalcost', 'totaldue']),
  rule('amount', NUMBER, ['amount', 'amt', 'payment', 'balance', 'salary', 'wage', 'revenue', 'income', 'budget', 'subtotal', 'freight', 'charge', 'paid', 'due', 'credit', 'debit', 'amountcents']),
  rule('discount', NUMBER, ['discount', 'discountrate', 'discountpercent', 'discountamount']),
  rule('tax', NUMBER, ['tax', 'taxrate', 'vat', 'vatrate', 'taxamount']),
  rule('percent', NUMBER, ['percent', 'percentage', 'pct', 'ratio', 'progress', 'completion', 'rate', 'share', 'fraction']),
  rule('rating', NUMBER, ['rating', 'stars', 'starrating', 'grade', 'score']),
  rule('quantity', ['int', 'decimal'], ['quantity', 'qty', 'count', 'units', 'unitsinstock', 'unitsonorder', 'stock', 'inventory', 'itemcount', 'reorderlevel', 'numitems', 'quantityinstock', 'onhand']),
  rule('weight', NUMBER, ['weight', 'mass', 'weightkg', 'weightlbs', 'weightgrams', 'netweight', 'grossweight']),
  rule('dimension', NUMBER, ['height', 'width', 'depth', 'heightcm', 'widthcm']),
  rule('duration', ['int', 'decimal', 'float'], ['duration', 'durationseconds', 'durationminutes', 'runtime', 'milliseconds', 'seconds', 'minutes', 'length', 'rentalduration', 'elapsed']),
  rule('port', ['int'], ['port', 'portnumber']),
  rule('sort_order', ['int'], ['sortorder', 'position', 'displayorder', 'ordinal', 'seq', 'sequence', 'rank', 'orderindex', 'idx', 'sortindex', 'priorityorder']),
  rule('flag_true', ['bool', 'int'], ['active', 'isactive', 'enabled', 'isenabled', 'visible', 'isvisible', 'published', 'ispublished', 'verified', 'isverified', 'confirmed', 'approved', 'available', 'isavailable', 'activebool', 'emailverified', 'instock']),
  rule('flag_false', ['bool', 'int'], ['deleted', 'isdeleted', 'disabled', 'isdisabled', 'archived', 'isarchived', 'banned', 'blocked', 'isblocked', 'locked', 'islocked', 'discontinued', 'suspended', 'cancelled', 'canceled', 'isadmin', 'admin', 'issystem', 'istest', 'test', 'spam', 'isspam', 'flagged']),
  rule('flag', ['bool'], [], ['is', 'has', 'can', 'should', 'allow', 'allows', 'use', 'uses', 'needs', 'include']),
  rule('flag_int', ['int'], [], ['is', 'has']),
  rule('code_int', ['int'], ['status', 'state', 'type', 'kind', 'level', 'stage', 'tier', 'mode', 'statuscode', 'typeid', 'statusid', 'kindid']),
];

/** Every semantic kind, for docs and tests. */
export const SEMANTIC_KINDS: readonly string[] = [...new Set(SEMANTIC_RULES.map((r) => r.kind))];
