import { Group, Text, VisuallyHidden } from '@mantine/core';

const names = { woocommerce: 'WooCommerce', medusa: 'MedusaJS' } as const;

/** A small mark per engine (our own drawing, not the projects' logos) with its name. */
export function EngineMark({
  engine,
  withName = true,
}: {
  engine: 'woocommerce' | 'medusa';
  withName?: boolean;
}) {
  const mark =
    engine === 'woocommerce' ? (
      <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden focusable="false">
        <rect x="1" y="3" width="18" height="12" rx="3" fill="#7f54b3" />
        <path d="M5 15l0 3 3-3z" fill="#7f54b3" />
        <text x="10" y="12.5" textAnchor="middle" fontSize="9" fontWeight="700" fill="#fff">
          W
        </text>
      </svg>
    ) : (
      <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden focusable="false">
        <path d="M10 1l8 4.5v9L10 19l-8-4.5v-9z" fill="#1f2937" stroke="#9ca3af" strokeWidth="1" />
        <text x="10" y="13.5" textAnchor="middle" fontSize="9" fontWeight="700" fill="#fff">
          M
        </text>
      </svg>
    );
  return (
    <Group gap={6} wrap="nowrap" data-testid="engine" data-engine={engine}>
      {mark}
      {withName ? <Text size="sm">{names[engine]}</Text> : <VisuallyHidden>{names[engine]}</VisuallyHidden>}
    </Group>
  );
}

export const engineName = (engine: 'woocommerce' | 'medusa') => names[engine];
