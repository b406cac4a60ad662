// "Copy" buttons (data-copy holds the text). Hidden until this script shows them, so a
// page without JavaScript offers only what works there (the download link). What it says
// comes from the button, in the page's language: data-copied-message and
// data-copy-failed-message (src/views/pages/security-recovery-codes.tsx).
if (navigator.clipboard) {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const status = document.getElementById(button.dataset.copyStatus);
    const say = (message) => {
      if (status && message) status.textContent = message;
    };
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(button.dataset.copy).then(
        () => say(button.dataset.copiedMessage),
        () => say(button.dataset.copyFailedMessage),
      );
    });
  }
}
