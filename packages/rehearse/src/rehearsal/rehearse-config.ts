/** The `rehearse` section of the config lives in core's one config model (see @understudy/core `RehearseConfig`). */
export { RehearseCheck, DEFAULT_LOCK_THRESHOLD_ROWS } from '@understudy/core';
