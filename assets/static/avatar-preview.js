// Shows the chosen picture before upload. The form works the same without it.
for (const input of document.querySelectorAll('input[type=file][data-preview]')) {
  const preview = document.getElementById(input.dataset.preview);
  let url;
  input.addEventListener('change', () => {
    if (url) URL.revokeObjectURL(url);
    const file = input.files && input.files[0];
    if (!preview || !file || !file.type.startsWith('image/')) {
      if (preview) preview.hidden = true;
      return;
    }
    url = URL.createObjectURL(file);
    preview.src = url;
    preview.hidden = false;
  });
}
