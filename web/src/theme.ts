import { Badge, createTheme, type CSSVariablesResolver, Modal, NavLink } from '@mantine/core';

/**
 * Mantine's defaults with contrast raised to WCAG AA (4.5:1 for text), which axe checks on every
 * page: filled and light colours one shade darker (white on blue 6 is 3.6:1, on blue 8 it is
 * 5:1), and dimmed and error text darker on white, lighter on the dark background.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  components: {
    // The close button of a dialog is an icon: it needs a name for screen readers.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // A light badge's colour is its tint; its words keep the text colour, readable on every tint.
    Badge: Badge.extend({
      vars: (_theme, props) =>
        props.variant === 'light' ? { root: { '--badge-color': 'var(--mantine-color-text)' } } : { root: {} },
    }),
    // The active link is shown by its tint; its label keeps the text colour (also when hovered).
    NavLink: NavLink.extend({
      vars: () => ({ root: { '--nl-color': 'var(--mantine-color-text)' }, children: {} }),
    }),
  },
});

export const contrastVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-8)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-3)',
  },
});
