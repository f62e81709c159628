import { describe, expect, it } from 'vitest';
import { elevenTestValid, ibanValid, luhnValid, verhoeffValid } from './checksums.js';
import { nationalIdScheme } from './national-ids.js';

describe('check digits, both ways', () => {
  it('Luhn', () => {
    for (const ok of ['4111111111111111', '79927398713', '378282246310005', '6011111111111117']) expect(luhnValid(ok), ok).toBe(true);
    for (const bad of ['4111111111111112', '79927398710', '378282246310006', '12', 'abc']) expect(luhnValid(bad), bad).toBe(false);
  });

  it('IBAN mod 97 and country length', () => {
    for (const ok of ['DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'es9121000418450200051332']) {
      expect(ibanValid(ok), ok).toBe(true);
    }
    // one digit changed; a good checksum with the wrong length for its country; an unknown country
    for (const bad of ['DE89370400440532013001', 'GB82WEST12345698765433', 'NL91ABNA04171643001', 'XX89370400440532013000']) {
      expect(ibanValid(bad), bad).toBe(false);
    }
  });

  it('Verhoeff: exactly one check digit completes a number', () => {
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('2364')).toBe(false);
    for (const prefix of ['23412341234', '98765432101', '50000000000']) {
      const completions = [...'0123456789'].filter((c) => verhoeffValid(prefix + c));
      expect(completions, prefix).toHaveLength(1);
    }
  });

  it('the Dutch 11-test', () => {
    for (const ok of ['111222333', '123456782']) expect(elevenTestValid(ok), ok).toBe(true);
    for (const bad of ['111222334', '123456789', '000000000', '12345678']) expect(elevenTestValid(bad), bad).toBe(false);
  });
});

describe('national identifiers', () => {
  it.each([
    ['123-45-6789', 'us-ssn'],
    ['AB 12 34 56 C', 'uk-nino'],
    ['AB123456C', 'uk-nino'],
    ['1 85 05 78 006 084 91', 'fr-insee'],
    ['269022A34173214', 'fr-insee'],
    ['12345678Z', 'es-dni'],
    ['X1234567L', 'es-dni'],
    ['RSSMRA85T10A562S', 'it-codice-fiscale'],
    ['111222333', 'nl-bsn'],
    ['529.982.247-25', 'br-cpf'],
  ])('%s is %s', (value, scheme) => {
    expect(nationalIdScheme(value)).toBe(scheme);
  });

  it.each([
    '000-12-3456',
    '666-12-3456',
    '123-00-6789',
    '123-45-0000', // SSN areas, groups and serials never issued
    'BG123456C',
    'AB123456E', // NINO: excluded prefix, suffix past D
    '1 85 05 78 006 084 92', // INSEE key off by one
    '12345678A',
    'X1234567M', // DNI/NIE control letter
    'RSSMRA85T10A562T', // codice fiscale control character
    '111222334', // BSN 11-test
    '529.982.247-26',
    '111.111.111-11', // CPF check digits; all the same digit
  ])('%s is no identifier', (value) => {
    expect(nationalIdScheme(value)).toBeUndefined();
  });

  it('Aadhaar: Verhoeff over 12 digits starting 2–9', () => {
    const prefix = '23412341234';
    const check = [...'0123456789'].find((c) => verhoeffValid(prefix + c))!;
    expect(nationalIdScheme(`2341 2341 234${check}`)).toBe('in-aadhaar');
    const wrong = String((Number(check) + 1) % 10);
    expect(nationalIdScheme(`2341 2341 234${wrong}`)).toBeUndefined();
    expect(nationalIdScheme(`1341 2341 234${check}`)).toBeUndefined();
  });
});
