// A printable page opens the print dialog once it has loaded (a static script: the CSP runs no onload attribute).
window.addEventListener("load", () => window.print());
