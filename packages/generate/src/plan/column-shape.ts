/**
 * A column as generation sees it: the model's column with its domain resolved
 * (kind, length, precision, scale, array dimensions, NOT NULL) and its enum
 * labels looked up.
 *
 * @example
 * ```ts
 * const shape = columnShape(schema, table.columns[0]!);
 * shape.kind; // 'varchar' even when declared with a domain over varchar
 * ```
 */
import type { Column, ColumnKind, DomainType, Schema } from '@understudy/core';

export interface ColumnShape {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly rawType: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly fractionalSeconds?: number;
  readonly unsigned?: boolean;
  readonly arrayDimensions: number;
  /** Enum or SET labels, in declaration order. */
  readonly values?: readonly string[];
  readonly elementType?: string;
  readonly charset?: string;
  readonly nullable: boolean;
  /** The domain the column is declared with, when it was found in the Schema. */
  readonly domain?: DomainType;
}

export function columnShape(schema: Schema, column: Column): ColumnShape {
  const domain = column.domain === undefined ? undefined : schema.domains[column.domain];
  const kind: ColumnKind = domain && (column.kind === 'other' || column.kind === undefined) ? domain.kind : column.kind;
  const pick = <T>(own: T | undefined, fromDomain: T | undefined): T | undefined => own ?? fromDomain;
  const enumValues = column.enum === undefined ? undefined : schema.enums[column.enum]?.values;
  const shape: { -readonly [K in keyof ColumnShape]: ColumnShape[K] } = {
    name: column.name,
    kind,
    rawType: column.rawType,
    arrayDimensions: column.arrayDimensions || domain?.arrayDimensions || 0,
    nullable: column.nullable && !(domain?.notNull ?? false),
  };
  const length = pick(column.length, domain?.length);
  const precision = pick(column.precision, domain?.precision);
  const scale = pick(column.scale, domain?.scale);
  if (length !== undefined) shape.length = length;
  if (precision !== undefined) shape.precision = precision;
  if (scale !== undefined) shape.scale = scale;
  if (column.fractionalSeconds !== undefined) shape.fractionalSeconds = column.fractionalSeconds;
  if (column.unsigned !== undefined) shape.unsigned = column.unsigned;
  const values = column.values ?? enumValues;
  if (values !== undefined) shape.values = values;
  if (column.elementType !== undefined) shape.elementType = column.elementType;
  if (column.charset !== undefined) shape.charset = column.charset;
  if (domain !== undefined) shape.domain = domain;
  return shape;
}
