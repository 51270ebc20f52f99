// Warns a signed-in person before the 30-minute idle sign-out, and keeps the session alive
// while they are typing or clicking on the page, so a long note is not lost to the timer.
// The server's clock (SessionLifetimeMiddleware) is the one that counts; this only mirrors it.

// Ping at most this often while the person is active.
const PING_EVERY_MS = 5 * 60 * 1000;
const CHECK_EVERY_MS = 1000;

export function initSessionTimeout(doc = document) {
  const { body } = doc;
  const idleSeconds = Number(body.dataset.sessionIdleSeconds);
  const warnSeconds = Number(body.dataset.sessionWarnSeconds);
  const dialog = doc.getElementById("session-timeout-dialog");
  const token = doc.querySelector('meta[name="csrf-token"]');
  if (!idleSeconds || !dialog || !token) {
    return;
  }
  const keepAliveUrl = body.dataset.keepAliveUrl;
  const signInUrl = body.dataset.signInUrl;
  const countdown = dialog.querySelector("[data-countdown]");
  let lastContact = Date.now();
  let pinging = false;

  async function keepAlive() {
    if (pinging) {
      return;
    }
    pinging = true;
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token.content },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status === 204) {
        lastContact = Date.now();
        if (dialog.open) {
          dialog.close();
        }
      } else {
        window.location.assign(signInUrl);
      }
    } finally {
      pinging = false;
    }
  }

  function onActivity() {
    if (!dialog.open && Date.now() - lastContact > PING_EVERY_MS) {
      keepAlive();
    }
  }

  function minutesAndSeconds(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    const parts = [];
    if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
    if (seconds || !minutes) parts.push(`${seconds} second${seconds === 1 ? "" : "s"}`);
    return parts.join(" ");
  }

  function check() {
    const left = idleSeconds * 1000 - (Date.now() - lastContact);
    if (left <= 0) {
      const next = encodeURIComponent(window.location.pathname + window.location.search);
      window.location.assign(`${signInUrl}?next=${next}`);
      return;
    }
    if (left <= warnSeconds * 1000) {
      if (countdown) {
        countdown.textContent = minutesAndSeconds(left);
      }
      if (!dialog.open) {
        dialog.showModal();
      }
    }
  }

  for (const event of ["keydown", "input", "pointerdown"]) {
    doc.addEventListener(event, onActivity, { passive: true });
  }
  dialog.querySelector("[data-keep-alive]").addEventListener("click", keepAlive);
  // Escape would close the dialog without telling the server: treat it as "stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    keepAlive();
  });
  window.setInterval(check, CHECK_EVERY_MS);
}
