/** The standard action library: every module's actions, declared once. */
import type { ActionDefinition } from '../contracts.js';
import { padActions } from '../robin/pad-actions.js';
import { variablesActions } from './variables.js';
import { textActions } from './text.js';
import { datetimeActions } from './datetime.js';
import { dataActions } from './data.js';
import { filesActions } from './files.js';
import { webActions } from './web.js';
import { scriptingActions } from './scripting.js';
import { systemActions } from './system.js';

export const standardActions: ActionDefinition[] = [
  ...padActions,
  ...variablesActions,
  ...textActions,
  ...datetimeActions,
  ...dataActions,
  ...filesActions,
  ...webActions,
  ...scriptingActions,
  ...systemActions,
];
