/** The socket icon of a connector action: compatible references with their bound connection and its status, and "Add new connection reference". */
import {
  Button,
  Menu,
  MenuDivider,
  MenuItemRadio,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PlugConnectedRegular, AddRegular } from '@fluentui/react-icons';
import type { Reference } from '../api/types.js';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: '8px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function describeReference(r: Reference): string {
  const conn = r.connection ? `${r.connection.displayName} (${r.connection.status})` : 'no connection bound';
  return `${r.displayName} — ${conn}`;
}

export function ReferencePicker(props: {
  references: Reference[];
  value?: string;
  onPick(logicalName: string): void;
  onAddNew(): void;
}) {
  const s = useStyles();
  const chosen = props.references.find((r) => r.logicalName === props.value);
  return (
    <div className={s.row}>
      <Menu
        checkedValues={{ reference: props.value ? [props.value] : [] }}
        onCheckedValueChange={(_, d) => d.checkedItems[0] && props.onPick(d.checkedItems[0])}
      >
        <MenuTrigger disableButtonEnhancement>
          <Button icon={<PlugConnectedRegular />} aria-label="Connection reference" title="Connection reference" />
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {props.references.map((r) => (
              <MenuItemRadio key={r.logicalName} name="reference" value={r.logicalName}>
                {describeReference(r)}
              </MenuItemRadio>
            ))}
            {props.references.length > 0 && <MenuDivider />}
            <MenuItem icon={<AddRegular />} onClick={props.onAddNew}>
              Add new connection reference
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      <Text data-testid="chosen-reference" className={chosen ? undefined : s.muted}>
        {chosen
          ? describeReference(chosen)
          : props.value
            ? `${props.value} (not found in this environment)`
            : 'No connection reference chosen'}
      </Text>
    </div>
  );
}
