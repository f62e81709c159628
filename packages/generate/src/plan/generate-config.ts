/** The generation keys of the config live in core's one config model (see @understudy/core `GenerateConfig`). */
export { GenerateConfig, ColumnConfig, TableConfig, CheckConfig, type GenerateConfigInput } from '@understudy/core';
