// The review app's keyboard: installed once into the page (not the component's frame, which
// Streamlit may replace), it finds segments by the classes Streamlit gives keyed elements
// (st-key-segment-<id>, st-key-save-<id> …) and clicks the app's own buttons, so every key
// does exactly what the button does.
(function () {
  const win = window;
  if (win.__workbenchKeys) return;
  win.__workbenchKeys = true;
  const doc = win.document;

  function segments() {
    return Array.from(doc.querySelectorAll('[class*="st-key-segment-"]'));
  }
  function segmentId(element) {
    const match = /st-key-segment-(\S+)/.exec(element.className);
    return match ? match[1] : null;
  }
  function current(target) {
    return target && target.closest ? target.closest('[class*="st-key-segment-"]') : null;
  }
  function focusSegment(id) {
    const box = doc.querySelector('.st-key-segment-' + id + ' textarea');
    if (!box) return false;
    box.focus();
    box.scrollIntoView({block: 'center'});
    return true;
  }
  function focusLater(id) {
    // After a save the page is drawn again, which can drop the focus: for a few seconds, give
    // it back to the segment's box whenever nothing else holds it (a click elsewhere wins).
    win.sessionStorage.setItem('workbench-focus', id);
    let tries = 0;
    focusSegment(id);
    const timer = win.setInterval(function () {
      tries += 1;
      const active = doc.activeElement;
      if (!active || active === doc.body) focusSegment(id);
      if (tries > 24) {
        win.clearInterval(timer);
        win.sessionStorage.removeItem('workbench-focus');
      }
    }, 250);
  }
  function click(id, name) {
    const button = doc.querySelector('.st-key-' + name + '-' + id + ' button');
    if (button) button.click();
    return Boolean(button);
  }
  function neighbour(segment, step) {
    const all = segments();
    const index = all.indexOf(segment);
    const next = all[index + step];
    return next ? segmentId(next) : null;
  }

  doc.addEventListener('keydown', function (event) {
    const segment = current(event.target);
    const id = segment ? segmentId(segment) : null;
    if (event.ctrlKey && event.key === 'Enter' && id && event.target.tagName === 'TEXTAREA') {
      // As a mouse click on Save does: the box loses focus (which hands its text to the app)
      // and Save is clicked, in one go, so the save carries the text; then the next segment.
      // Streamlit's own Ctrl+Enter (a separate commit and run) would race with the click.
      event.preventDefault();
      event.stopPropagation();
      const next = neighbour(segment, 1);
      event.target.blur();
      click(id, 'save');
      if (next) focusLater(next);
    } else if (event.ctrlKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      const all = segments();
      const target = segment ? neighbour(segment, event.key === 'ArrowDown' ? 1 : -1) : (all[0] && segmentId(all[0]));
      if (target) { event.preventDefault(); focusSegment(target); }
    } else if (event.altKey && id && (event.key === 'a' || event.key === 'm' || event.key === 's')) {
      event.preventDefault();
      const name = {a: 'approve', m: 'use-machine', s: 'use-source'}[event.key];
      const text = segment.querySelector('textarea');
      if (text) text.blur();  // commit what is typed first
      win.setTimeout(function () { click(id, name); focusLater(event.key === 'a' ? (neighbour(segment, 1) || id) : id); }, 200);
    } else if (event.altKey && id && ['1', '2', '3'].includes(event.key)) {
      // The first, second or third match from the memory, into the box (its "Use this").
      event.preventDefault();
      const number = Number(event.key) - 1;
      win.setTimeout(function () { if (click(id, 'use-' + number)) focusLater(id); }, 0);
    } else if (event.key === 'Escape' && id) {
      if (click(id, 'revert')) focusLater(id);
    }
  }, true);

  // A click on a segment's Save or Approve keeps the view on that segment after the page is
  // drawn again (it used to jump to the top).
  doc.addEventListener('click', function (event) {
    if (!event.isTrusted) return;  // the keys' own clicks choose where the focus goes
    const button = event.target && event.target.closest ? event.target.closest('[class*="st-key-save-"], [class*="st-key-approve-"]') : null;
    const segment = button ? current(button) : null;
    const id = segment ? segmentId(segment) : null;
    if (id) focusLater(id);
  }, true);

  const pending = win.sessionStorage.getItem('workbench-focus');
  if (pending) focusLater(pending);
})();
