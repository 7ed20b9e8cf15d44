// The packing slip's print button (no inline handlers under the Content-Security-Policy).
document.querySelectorAll('[data-print]').forEach((button) => button.addEventListener('click', () => window.print()));
