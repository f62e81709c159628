/** The `rehearse` section of the config lives in core's one config model (see @understudy/core `RehearseConfig`). */
export { RehearseConfig, RehearseCheck, DEFAULT_LOCK_THRESHOLD_ROWS, type RehearseConfigInput } from '@understudy/core';
