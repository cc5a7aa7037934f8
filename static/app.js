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

// A roster import's page follows its job: while it runs, the page reads itself again every
// two seconds and puts the new state in place (a live region), until the job has ended.
// Without this script the page has a link that does the same.
document.addEventListener('DOMContentLoaded', () => {
  const job = document.querySelector('#job[data-job-running="yes"]');
  if (!job) return;
  const follow = async () => {
    try {
      const res = await fetch(window.location.href, { headers: { accept: 'text/html' } });
      const next = new DOMParser().parseFromString(await res.text(), 'text/html').querySelector('#job');
      if (!next) return;
      job.innerHTML = next.innerHTML;
      job.dataset.jobRunning = next.dataset.jobRunning;
      if (next.dataset.jobRunning !== 'yes') {
        window.location.reload();
        return;
      }
    } catch (e) {
      // The server is away for a moment: try again.
    }
    window.setTimeout(follow, 2000);
  };
  window.setTimeout(follow, 2000);
});
