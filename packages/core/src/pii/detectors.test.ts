import { beforeAll, describe, expect, it } from 'vitest';
import { countEmailsIn, countPhonesIn, isEmail, isPhone } from './contact.js';
import { loadPiiDictionaries, type PiiDictionaries } from './dictionaries.js';
import { countCardNumbersIn, countIbansIn, isCardNumber, isIban } from './finance.js';
import { findInJson, findInText } from './inside-values.js';
import { isCode, isCompanyName, isProperName, isVocabularyWord, personName } from './names.js';
import { countIpAddressesIn, isIpAddress, isMacAddress, isUrlWithCredentials } from './network.js';
import { isPostcode, isStreetAddress } from './places.js';
import { countSecretsIn, isJwt, secretKind } from './secrets.js';

let d: PiiDictionaries;
beforeAll(async () => {
  d = await loadPiiDictionaries();
});

describe('e-mail and phone', () => {
  it('e-mails', () => {
    for (const ok of ['ana.lima+news@example.com.br', 'BOB@EXAMPLE.ORG', '<x_y@sub.example.co.uk>', 'mailto:a@b.io']) expect(isEmail(ok), ok).toBe(true);
    for (const bad of ['bob@', '@example.com', 'bob at example.com', 'a@b', 'user@localhost', 'two@a.com three@b.com']) expect(isEmail(bad), bad).toBe(false);
    expect(countEmailsIn('write to ana@example.org or bob@example.com.')).toBe(2);
  });

  it('phones in international and national forms, not dates, IPs or amounts', () => {
    for (const ok of ['+44 20 7946 0958', '+1-555-013-3377', '+33612345678', '(555) 013-3377', '020 7946 0958', '06 12 34 56 78', '0151-234-5678', '555.013.3377', '+49 (0)30 123456 ext. 12']) {
      expect(isPhone(ok), ok).toBe(true);
    }
    for (const bad of ['2024-01-15', '15/01/2024', '10.1.2.3', '1234567.89', '12345', '1,234,567', '+1', 'call me', '4111 1111 1111 1111 1111']) {
      expect(isPhone(bad), bad).toBe(false);
    }
    expect(countPhonesIn('Call +44 20 7946 0958 or (555) 013-3377 before 2024-01-15.')).toBe(2);
  });
});

describe('cards and IBANs', () => {
  it('card numbers need a known issuer and the Luhn check', () => {
    for (const ok of ['4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005', '6011111111111117']) expect(isCardNumber(ok), ok).toBe(true);
    for (const bad of ['4111 1111 1111 1112', '1234567812345670', '4111  1111 1111 1111', '411111111111']) expect(isCardNumber(bad), bad).toBe(false);
    expect(countCardNumbersIn('paid with 4111-1111-1111-1111, order 1234567812345678')).toBe(1);
  });

  it('IBANs, whole and in text', () => {
    expect(isIban('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
    expect(isIban('FR14 2004 1010 0505 0001 3M02 607')).toBe(false);
    expect(countIbansIn('Refund to DE89 3704 0044 0532 0130 00 please; not DE00 3704 0044 0532 0130 00')).toBe(1);
  });
});

describe('network', () => {
  it('IP and MAC addresses', () => {
    for (const ok of ['192.168.0.12', '2001:db8::1', '::1', '10.0.0.0/8']) expect(isIpAddress(ok), ok).toBe(true);
    for (const bad of ['256.1.1.1', '1.2.3', 'v1.2.3.4', 'abc']) expect(isIpAddress(bad), bad).toBe(false);
    expect(countIpAddressesIn('from 10.1.2.3 and fe80::1ff:fe23:4567:890a, version 1.2.3')).toBe(2);
    for (const ok of ['00:1A:2B:3C:4D:5E', '00-1a-2b-3c-4d-5e', '001a.2b3c.4d5e']) expect(isMacAddress(ok), ok).toBe(true);
    for (const bad of ['00:1A:2B:3C:4D', '00:1A-2B:3C:4D:5E', '12:34:56']) expect(isMacAddress(bad), bad).toBe(false);
  });

  it('URLs with credentials', () => {
    expect(isUrlWithCredentials('postgres://app:s3cret@db.internal:5432/app')).toBe(true);
    expect(isUrlWithCredentials('https://api.example.com/v1/items?access_token=abcdef123456')).toBe(true);
    expect(isUrlWithCredentials('https://example.com/about?page=2')).toBe(false);
    expect(isUrlWithCredentials('postgres://db.internal:5432/app')).toBe(false);
  });
});

describe('secrets', () => {
  it('JWTs whose header decodes', () => {
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from('{"sub":"42"}').toString('base64url');
    expect(isJwt(`${header}.${payload}.c2lnbmF0dXJl`)).toBe(true);
    expect(isJwt(`eyJub3Rqc29u.${payload}.x`)).toBe(false);
    expect(isJwt('a.b.c')).toBe(false);
  });

  it('known prefixes, password hashes and entropy', () => {
    expect(secretKind('sk_live_4eC39HqLyjWDarjtT1zdp7dc')).toBe('stripe-key');
    expect(secretKind('ghp_16C7e42F292c6912E7710c838347Ae178B4a')).toBe('github-token');
    expect(secretKind('AKIAIOSFODNN7EXAMPLE')).toBe('aws-access-key');
    expect(secretKind('xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx')).toBe('slack-token');
    expect(secretKind('$2b$12$KIXQJp5m1qf0yVh6hQb9UOe6Wq3b1m3xYkz6o8d0iUEVQW9lY3a1K')).toBe('password-hash');
    expect(secretKind('9f8Kq2LmZx7Rt4Vb1Nc6Wd3Ye5Ua0Ps')).toBe('random-token');
    for (const no of ['customer_reference_number', 'a8098c1a-f86e-11da-bd1a-00112444be1e', 'The quick brown fox jumps', 'aaaaaaaaaaaaaaaaaaaaaaaa']) {
      expect(secretKind(no), no).toBeUndefined();
    }
    expect(countSecretsIn('key=sk_live_4eC39HqLyjWDarjtT1zdp7dc and AKIAIOSFODNN7EXAMPLE')).toBe(2);
  });
});

describe('places', () => {
  it('street addresses in several languages', () => {
    for (const ok of ['221B Baker Street', '1600 Pennsylvania Ave NW', 'Hauptstraße 12', '12 rue de la Paix', 'Calle Mayor 5, 2º', 'Via Roma 10', 'Keizersgracht 123']) {
      expect(isStreetAddress(ok, d), ok).toBe(true);
    }
    for (const bad of ['Chapter 11 bankruptcy', 'Baker Street', 'Order 12 shipped', '12 boxes of apples']) expect(isStreetAddress(bad, d), bad).toBe(false);
  });

  it('postcodes of shapes nothing else has', () => {
    for (const ok of ['SW1A 1AA', 'K1A 0B1', '1012 AB', '12345-6789', '01310-100', '00-950']) expect(isPostcode(ok), ok).toBe(true);
    for (const bad of ['75008', 'ABCDE', '12 34', 'SW1A']) expect(isPostcode(bad), bad).toBe(false);
  });
});

describe('names, companies and codes', () => {
  it('full person names, not titles or phrases', () => {
    for (const ok of ['Maria Garcia', 'Garcia, Maria', 'Dr. John A. Smith Jr.', 'PENELOPE GUINESS', 'Sam Barnes', "Mary O'Brien", 'Jean-Luc Picard']) {
      expect(personName(ok, d), ok).toBe('full');
    }
    for (const no of ['Annie Identity', 'Sales Representative', 'Dairy Products', 'maria@example.com', 'Order 12', 'eBay Store']) {
      expect(personName(no, d), no).not.toBe('full');
    }
    expect(personName('Alice', d)).toBe('first');
  });

  it('companies by legal form, surnames and trade words', () => {
    for (const ok of ['Acme Inc.', 'Müller GmbH', 'Folk och fä HB', 'Koch, Rempel and Upton', 'White Clover Markets', 'Océano Atlántico Ltda.']) {
      expect(isCompanyName(ok, d), ok).toBe(true);
    }
    for (const no of ['Dairy Products', 'active', 'Sales Representative', 'Maria Garcia', 'credit card']) expect(isCompanyName(no, d), no).toBe(false);
  });

  it('proper names and codes, not categories', () => {
    expect(isProperName('Hanari Carnes', d)).toBe(true);
    expect(isProperName('Sales Representative', d)).toBe(false);
    expect(isProperName('EUR', d)).toBe(false);
    for (const ok of ['SAVEA', 'ALFKI', 'CUST-00042', 'INV2024001', '0001234567', '01890a5d-ac96-774b-bcce-b302099a8057']) expect(isCode(ok, d), ok).toBe(true);
    for (const no of ['EUR', 'US', 'PG-13', 'PAID', 'active', 'v2', 'credit_card']) expect(isCode(no, d), no).toBe(false);
  });
});

describe('inside free text and JSON', () => {
  it('counts every kind inside a note', () => {
    const note =
      'Spoke to Maria Garcia (maria.garcia@example.org, +44 20 7946 0958). Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789, from 10.1.2.3; lives at 221 Baker Street.';
    const kinds = new Set([...findInText(note, d).values()].map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['address', 'card-number', 'email', 'iban', 'ip-address', 'national-id', 'person-name', 'phone'].sort());
    expect(findInText('Delivered on time, customer happy.', d).size).toBe(0);
  });

  it('gives the JSON path of what it finds, never a value as a key', () => {
    const found = findInJson({ contact: { email: 'a@b.co', phones: ['+1 555 013 3377'] }, note: 'ok', 'bob@example.com': 1, ssn: '078-05-1120' }, d);
    expect(found.get('$.contact.email')?.get('email')).toBe(1);
    expect(found.get('$.contact.phones[*]')?.get('phone')).toBe(1);
    expect(found.get('$.ssn')?.get('national-id')).toBe(1);
    expect([...found.keys()].some((k) => k.includes('bob'))).toBe(false);
    expect(found.has('$.note')).toBe(false);
  });
});

describe('isVocabularyWord: inflected common words (zencart admin pages and settings)', () => {
  it('reads plurals in -ies, doubled consonants, a dropped e and -ment', () => {
    for (const w of ['shipping', 'currencies', 'categories', 'featured', 'payment', 'reviews', 'modules', 'customers', 'settings', 'pages']) expect(isVocabularyWord(w, d), w).toBe(true);
    for (const w of ['heloise', 'quigleyk', 'dashawn']) expect(isVocabularyWord(w, d), w).toBe(false);
  });
});
