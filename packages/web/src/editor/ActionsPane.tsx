/**
 * The actions pane: search, the standard groups and the Cloud connectors group. Drag an action into the workspace or double-click to append it.
 * Groups open without the collapse animation: it measures each panel's height as it opens, and a search opens dozens at once.
 */
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  SearchBox,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useDraggable } from '@dnd-kit/core';
import { CloudRegular, FlashRegular } from '@fluentui/react-icons';
import { searchLibrary, type Library, type LibraryGroup, type LibraryItem } from './library.js';

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    padding: '8px',
    overflowY: 'auto',
    height: '100%',
    boxSizing: 'border-box',
  },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: '6px',
    padding: '4px 8px',
    borderRadius: tokens.borderRadiusMedium,
    cursor: 'grab',
    userSelect: 'none',
    touchAction: 'none',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  dragging: { opacity: 0.5 },
  icon: { width: '16px', height: '16px', flexShrink: 0, borderRadius: '3px' },
  heading: { fontWeight: tokens.fontWeightSemibold, padding: '4px 0' },
});

function Item({ item, onAppend }: { item: LibraryItem; onAppend(item: LibraryItem): void }) {
  const s = useStyles();
  const { setNodeRef, attributes, listeners, isDragging } = useDraggable({ id: `lib:${item.key}`, data: { item } });
  // Dragging starts on pointer down, which eats the browser's dblclick: count presses ourselves.
  const lastPress = useRef(0);
  return (
    <div
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      role="button"
      aria-label={item.displayName}
      title={item.description || item.displayName}
      data-library-item
      data-action-id={item.actionId ?? `${item.connectorId}/${item.operationId}`}
      className={mergeClasses(s.item, isDragging && s.dragging)}
      onPointerDown={(e) => {
        const now = e.timeStamp;
        if (e.button === 0 && now - lastPress.current < 450) {
          lastPress.current = 0;
          onAppend(item);
          return;
        }
        lastPress.current = now;
        listeners?.onPointerDown?.(e);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onAppend(item);
        else listeners?.onKeyDown?.(e);
      }}
    >
      {item.connectorId ? (
        item.iconUrl ? (
          <img src={item.iconUrl} alt="" className={s.icon} style={{ backgroundColor: item.brandColor }} />
        ) : (
          <CloudRegular className={s.icon} style={{ color: item.brandColor }} />
        )
      ) : (
        <FlashRegular className={s.icon} />
      )}
      <Text size={200}>{item.displayName}</Text>
    </div>
  );
}

function Group({ group, onAppend }: { group: LibraryGroup; onAppend(item: LibraryItem): void }) {
  return (
    <AccordionItem value={group.key}>
      <AccordionHeader size="small">{group.name}</AccordionHeader>
      <AccordionPanel collapseMotion={null}>
        {group.items.map((i) => (
          <Item key={i.key} item={i} onAppend={onAppend} />
        ))}
        {group.more.length > 0 && (
          <Accordion collapsible>
            <AccordionItem value="more">
              <AccordionHeader size="small">More</AccordionHeader>
              <AccordionPanel collapseMotion={null}>
                {group.more.map((i) => (
                  <Item key={i.key} item={i} onAppend={onAppend} />
                ))}
              </AccordionPanel>
            </AccordionItem>
          </Accordion>
        )}
      </AccordionPanel>
    </AccordionItem>
  );
}

export function ActionsPane({ library, onAppend }: { library: Library; onAppend(item: LibraryItem): void }) {
  const s = useStyles();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const shown = useMemo(() => searchLibrary(library, deferred), [library, deferred]);
  const searching = deferred.trim() !== '';
  const [openGroups, setOpenGroups] = useState<string[]>(['cloud']);
  // Always controlled: while searching every matching group is open; otherwise the user's choice.
  const open = searching ? [...shown.standard, ...shown.connectors].map((g) => g.key).concat('cloud') : openGroups;
  const toggle = (_: unknown, d: { openItems: unknown[] }) => !searching && setOpenGroups(d.openItems.map(String));
  return (
    <aside className={s.pane} aria-label="Actions">
      <SearchBox
        aria-label="Search actions"
        placeholder="Search actions"
        value={query}
        onChange={(_, d) => setQuery(d.value)}
      />
      <Accordion multiple collapsible openItems={open} onToggle={toggle}>
        {shown.standard.map((g) => (
          <Group key={g.key} group={g} onAppend={onAppend} />
        ))}
        {shown.connectors.length > 0 && (
          <AccordionItem value="cloud">
            <AccordionHeader size="small" icon={<CloudRegular />}>
              Cloud connectors
            </AccordionHeader>
            <AccordionPanel collapseMotion={null}>
              <Accordion multiple collapsible openItems={open} onToggle={toggle}>
                {shown.connectors.map((g) => (
                  <Group key={g.key} group={g} onAppend={onAppend} />
                ))}
              </Accordion>
            </AccordionPanel>
          </AccordionItem>
        )}
      </Accordion>
      {searching && shown.standard.length === 0 && shown.connectors.length === 0 && (
        <Text>No actions match “{deferred}”.</Text>
      )}
    </aside>
  );
}
