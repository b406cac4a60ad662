// "Copy" buttons (data-copy holds the text). Hidden until this script shows them, so a
// page without JavaScript offers only what works there (the download link).
if (navigator.clipboard) {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const status = document.getElementById(button.dataset.copyStatus);
    const say = (message) => {
      if (status) status.textContent = message;
    };
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(button.dataset.copy).then(
        () => say('Copied. Paste them somewhere safe, such as a password manager.'),
        () => say('Could not copy. Select the codes and copy them, or download the file.'),
      );
    });
  }
}
