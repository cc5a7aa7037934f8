// A little progressive enhancement; every page works without it.
// After a failed submit the error summary takes focus and comes into view, so that a
// screen reader reads it first and a phone shows it instead of the top of the page.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.error-summary');
  if (summary) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'start' });
  }
});
