// A little progressive enhancement; every page works without it.
// After a failed submit the error summary takes focus and comes into view, so that a
// screen reader reads it first and a phone shows it instead of the top of the page.
// A notice that asks something of the reader before they go on (similar issues already
// there) does the same.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.error-summary, [data-focus]');
  if (summary) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'start' });
  }
});

// A print button where the page offers one (the annual report): shown only when this
// script runs, since printing needs it; the browser's own Print works without.
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
});
