// The one palette for the ten digit classes, used by every insight view and legend.
// Tableau 10's hues, lightened where needed to read on the dark background. Ten hues
// cannot all stay apart for every colour vision, so views always pair a colour with
// the digit itself (legend, tooltips, bar labels) and never rely on colour alone.
export const CLASS_COLOURS = Object.freeze([
  "#5fa2e0", // 0 blue
  "#f28e2b", // 1 orange
  "#e8686a", // 2 red
  "#76c7c0", // 3 teal
  "#6cbf5f", // 4 green
  "#edc948", // 5 yellow
  "#c08ab4", // 6 purple
  "#ff9da7", // 7 pink
  "#b89478", // 8 brown
  "#c9c3bf", // 9 grey
]);
