/*
 * greenmfg chat widget — one script tag adds a floating chat button and panel to any page:
 *
 *   <script src="https://HOST/widget.js" data-title="绿色制造助手" data-context="factory"></script>
 *
 * - Everything lives in a Shadow DOM: no CSS leaks in or out.
 * - Answers stream from POST {API}/api/chat/stream (server-sent events read with fetch + ReadableStream,
 *   since EventSource cannot POST). {API} is derived from this script's own src, so it works cross-origin
 *   when the host page's origin is in GREENMFG_CORS_ORIGINS.
 * - The public chat endpoint is anonymous and rate-limited: no API key ever reaches the browser.
 * - The session id is kept in localStorage; when the panel opens with a stored id, the earlier turns are
 *   fetched from GET {API}/api/chat/history and redrawn (with their sources) above anything new.
 * - Server text is always inserted with textContent, never as HTML.
 * Plain JS, no build step.
 */
(function () {
  "use strict";

  if (window.__greenmfgWidgetLoaded) {
    return;
  }
  window.__greenmfgWidgetLoaded = true;

  var script =
    document.currentScript ||
    (function () {
      var candidates = document.querySelectorAll('script[src*="widget.js"]');
      return candidates[candidates.length - 1];
    })();
  var apiBase = new URL(".", script && script.src ? script.src : window.location.href).href.replace(/\/$/, "");
  var title = (script && script.getAttribute("data-title")) || "绿色制造助手";
  var pageContext = (script && script.getAttribute("data-context")) || null;
  var SESSION_KEY = "greenmfg-widget-session:" + apiBase;
  var UNCONFIRMED_LABEL = "待核实";
  var NETWORK_ERROR_TEXT = "无法连接到咨询服务（网络异常或本站点未获授权），请稍后再试。";
  var GREETING = "您好！我可以解答绿色工厂、绿色园区、绿色供应链和绿色设计产品的申报问题。";
  var RESUMED_NOTE = "（已接续您上次的对话，可以直接补充信息。）";
  var HISTORY_FAILED_NOTE = "（暂时无法显示之前的对话记录，但对话仍会接续。）";

  var STYLE = [
    ":host { all: initial !important; position: fixed !important; right: 16px !important;",
    "  bottom: 16px !important; z-index: 2147483000 !important; display: block !important;",
    "  font-family: system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC',",
    "  sans-serif !important; font-size: 14px !important; line-height: 1.5 !important;",
    "  color: #1f2328 !important; letter-spacing: normal !important; }",
    "*, *::before, *::after { box-sizing: border-box; }",
    ".launcher { width: 56px; height: 56px; border-radius: 50%; border: none; cursor: pointer;",
    "  background: #1a7f37; color: #fff; font-size: 24px; box-shadow: 0 4px 14px rgba(0,0,0,.25);",
    "  display: flex; align-items: center; justify-content: center; margin-left: auto; padding: 0; }",
    ".launcher:focus-visible, button:focus-visible, textarea:focus-visible, summary:focus-visible {",
    "  outline: 3px solid #0969da; outline-offset: 2px; }",
    ".panel { position: absolute; right: 0; bottom: 68px; width: min(380px, calc(100vw - 32px));",
    "  height: min(560px, calc(100vh - 100px)); background: #fff; border-radius: 12px;",
    "  box-shadow: 0 8px 30px rgba(0,0,0,.3); display: flex; flex-direction: column; overflow: hidden; }",
    ".panel[hidden] { display: none; }",
    "header { background: #1a7f37; color: #fff; padding: 10px 12px; display: flex; align-items: center; }",
    "header h2 { font-size: 15px; margin: 0; flex: 1; font-weight: 600; }",
    ".close { background: transparent; border: none; color: #fff; font-size: 20px; cursor: pointer;",
    "  width: 32px; height: 32px; border-radius: 6px; padding: 0; }",
    ".log { flex: 1; overflow-y: auto; padding: 12px; background: #f6f8fa; }",
    ".msg { margin: 0 0 10px; padding: 8px 10px; border-radius: 8px; white-space: pre-wrap;",
    "  word-break: break-word; max-width: 92%; }",
    ".msg.user { background: #dafbe1; margin-left: auto; }",
    ".msg.bot { background: #fff; border: 1px solid #d0d7de; }",
    ".msg.error { background: #ffebe9; border: 1px solid #ff8182; }",
    ".sources { margin-top: 6px; font-size: 12px; color: #57606a; }",
    ".sources ol { margin: 4px 0 0; padding-left: 20px; }",
    ".sources li { margin-bottom: 4px; }",
    ".sources details { white-space: normal; }",
    ".sources summary { cursor: pointer; }",
    ".sources .quote { margin: 4px 0 0; padding-left: 6px; border-left: 3px solid #d0d7de; }",
    ".flag { color: #9a6700; font-weight: 600; }",
    "form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #d0d7de; background: #fff; }",
    "textarea { flex: 1; resize: none; height: 42px; padding: 8px; border: 1px solid #d0d7de;",
    "  border-radius: 6px; font: inherit; color: inherit; background: #fff; }",
    ".send { background: #1a7f37; color: #fff; border: none; border-radius: 6px; padding: 0 14px;",
    "  cursor: pointer; font: inherit; }",
    ".send[disabled] { opacity: .6; cursor: default; }",
    ".sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }",
    "@media (max-width: 480px) { .panel { position: fixed; right: 8px; left: 8px; bottom: 80px;",
    "  width: auto; height: calc(100vh - 96px); } }",
  ].join("\n");

  var TEMPLATE = [
    '<button class="launcher" type="button" aria-haspopup="dialog" aria-expanded="false"',
    '  aria-controls="gm-panel"><svg aria-hidden="true" width="26" height="26" viewBox="0 0 24 24"',
    '  fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">',
    '  <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg></button>',
    '<section class="panel" id="gm-panel" role="dialog" aria-modal="true" aria-labelledby="gm-title" hidden>',
    '  <header><h2 id="gm-title"></h2>',
    '    <button class="close" type="button" aria-label="关闭对话">×</button></header>',
    '  <div class="log" role="log" aria-live="polite" aria-relevant="additions"></div>',
    '  <form novalidate><label class="sr-only" for="gm-input">输入您的问题</label>',
    '    <textarea id="gm-input" rows="1" maxlength="2000" placeholder="请输入您的问题，回车发送"></textarea>',
    '    <button class="send" type="submit">发送</button></form>',
    "</section>",
  ].join("\n");

  var host = document.createElement("greenmfg-chat-widget");
  var root = host.attachShadow({ mode: "open" });
  var style = document.createElement("style");
  style.textContent = STYLE;
  root.appendChild(style);
  var container = document.createElement("div");
  container.innerHTML = TEMPLATE; // static markup only; no server data here
  while (container.firstChild) {
    root.appendChild(container.firstChild);
  }

  var launcher = root.querySelector(".launcher");
  var panel = root.querySelector(".panel");
  var closeButton = root.querySelector(".close");
  var log = root.querySelector(".log");
  var form = root.querySelector("form");
  var input = root.querySelector("textarea");
  var sendButton = root.querySelector(".send");
  root.querySelector("#gm-title").textContent = title;
  launcher.setAttribute("aria-label", "打开" + title);
  var busy = false;
  var historyRequested = false;

  function storedSession() {
    try {
      return window.localStorage.getItem(SESSION_KEY);
    } catch (e) {
      return null; // storage disabled (privacy mode): the session lives for this page only
    }
  }
  var memorySession = storedSession();

  function rememberSession(id) {
    memorySession = id;
    try {
      window.localStorage.setItem(SESSION_KEY, id);
    } catch (e) {
      /* ignore */
    }
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "关闭" + title);
    if (!log.childElementCount) {
      var greeting = addMessage("bot", memorySession ? GREETING + "\n" + RESUMED_NOTE : GREETING);
      if (memorySession && !historyRequested) {
        historyRequested = true;
        loadHistory(memorySession, greeting);
      }
    }
    input.focus();
  }

  // Redraw the stored turns right after the greeting, before anything asked while the request was running.
  function loadHistory(sessionId, greeting) {
    var url = apiBase + "/api/chat/history?session_id=" + encodeURIComponent(sessionId);
    log.setAttribute("aria-busy", "true");
    return fetch(url, { method: "GET", headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("history " + response.status);
        }
        return response.json();
      })
      .then(function (history) {
        var anchor = greeting.nextSibling;
        (history.turns || []).forEach(function (turn) {
          var asked = addMessage("user", turn.message || "", anchor);
          asked.setAttribute("data-state", "history");
          var answered = addMessage("bot", turn.reply || "", anchor);
          answered.setAttribute("data-state", "history");
          renderCitations(answered, turn.citations);
        });
        if (!anchor) {
          log.scrollTop = log.scrollHeight;
        }
      })
      .catch(function () {
        var note = addMessage("bot", HISTORY_FAILED_NOTE, greeting.nextSibling);
        note.setAttribute("data-state", "history-error");
      })
      .then(function () {
        log.removeAttribute("aria-busy");
      });
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "打开" + title);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) {
      open();
    } else {
      close();
    }
  });
  closeButton.addEventListener("click", close);

  // Esc closes; Tab cycles inside the open panel (focus trap).
  root.addEventListener("keydown", function (event) {
    if (panel.hidden) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "Tab") {
      return;
    }
    var focusable = Array.prototype.filter.call(
      panel.querySelectorAll("button, textarea, summary, [tabindex]:not([tabindex='-1'])"),
      function (el) {
        return !el.disabled && el.offsetParent !== null;
      }
    );
    if (!focusable.length) {
      return;
    }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var active = root.activeElement;
    if (event.shiftKey && (active === first || !panel.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  // before: insert above this node (history redrawn under newer messages); default: append and scroll.
  function addMessage(kind, text, before) {
    var item = document.createElement("div");
    item.className = "msg " + kind;
    var body = document.createElement("div");
    body.className = "text";
    body.textContent = text;
    item.appendChild(body);
    if (before) {
      log.insertBefore(item, before);
    } else {
      log.appendChild(item);
      log.scrollTop = log.scrollHeight;
    }
    return item;
  }

  function renderCitations(item, citations) {
    if (!citations || !citations.length) {
      return;
    }
    var box = document.createElement("div");
    box.className = "sources";
    box.setAttribute("data-testid", "citations");
    var heading = document.createElement("div");
    heading.textContent = "依据来源：";
    box.appendChild(heading);
    var list = document.createElement("ol");
    citations.forEach(function (citation) {
      var entry = document.createElement("li");
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      var label = [citation.doc, citation.clause, citation.title].filter(Boolean).join(" ");
      summary.textContent = label;
      if (citation.confirmed !== true) {
        var flag = document.createElement("span");
        flag.className = "flag";
        flag.textContent = "（" + UNCONFIRMED_LABEL + "）";
        summary.appendChild(flag);
      }
      details.appendChild(summary);
      if (citation.text) {
        var quote = document.createElement("div");
        quote.className = "quote";
        quote.textContent = citation.text;
        details.appendChild(quote);
      }
      entry.appendChild(details);
      list.appendChild(entry);
    });
    box.appendChild(list);
    item.appendChild(box);
  }

  // Parse one SSE block ("event: x\r\ndata: y") into {event, data}.
  function parseEvent(block) {
    var event = "message";
    var data = [];
    block.split(/\r\n|\r|\n/).forEach(function (line) {
      if (!line || line.charAt(0) === ":") {
        return;
      }
      var colon = line.indexOf(":");
      var field = colon === -1 ? line : line.slice(0, colon);
      var value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") {
        event = value;
      } else if (field === "data") {
        data.push(value);
      }
    });
    return { event: event, data: data.join("\n") };
  }

  // Errors whose message is already a sentence for the user; anything else (a network failure, a CORS
  // refusal, a broken stream) is shown as one fixed Chinese message, never the browser's English text.
  function UserFacingError(message) {
    this.message = message;
  }

  function errorText(status, body) {
    if (body && body.error && body.error.message_zh) {
      return body.error.message_zh;
    }
    return status === 429 ? "请求过于频繁，请稍后再试。" : "服务暂时不可用，请稍后再试。";
  }

  function ask(message) {
    busy = true;
    sendButton.disabled = true;
    addMessage("user", message);
    var item = addMessage("bot", "…");
    var textNode = item.querySelector(".text");
    var received = "";
    var payload = { message: message };
    if (memorySession) {
      payload.session_id = memorySession;
    }
    if (pageContext) {
      payload.context = pageContext;
    }

    return fetch(apiBase + "/api/chat/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(payload),
      credentials: "omit",
    })
      .then(function (response) {
        if (!response.ok || !response.body) {
          return response
            .json()
            .catch(function () {
              return null;
            })
            .then(function (body) {
              throw new UserFacingError(errorText(response.status, body));
            });
        }
        var reader = response.body.getReader();
        var decoder = new TextDecoder("utf-8");
        var buffer = "";
        var finished = false;

        function handle(block) {
          var parsed = parseEvent(block);
          if (!parsed.data) {
            return;
          }
          var data = JSON.parse(parsed.data);
          if (parsed.event === "delta") {
            received += data.text || "";
            textNode.textContent = received;
          } else if (parsed.event === "done") {
            finished = true;
            textNode.textContent = data.reply || received;
            if (data.session_id) {
              rememberSession(data.session_id);
            }
            renderCitations(item, data.citations);
            item.setAttribute("data-state", "done");
          } else if (parsed.event === "error") {
            throw new UserFacingError(data.message_zh || "出错了，请稍后再试。");
          }
          log.scrollTop = log.scrollHeight;
        }

        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) {
              if (buffer.trim()) {
                handle(buffer);
              }
              if (!finished) {
                throw new UserFacingError("连接中断，请重试。");
              }
              return;
            }
            buffer += decoder.decode(chunk.value, { stream: true });
            var boundary = /\r\n\r\n|\n\n|\r\r/;
            var match;
            while ((match = boundary.exec(buffer))) {
              var block = buffer.slice(0, match.index);
              buffer = buffer.slice(match.index + match[0].length);
              handle(block);
            }
            return pump();
          });
        }
        return pump();
      })
      .catch(function (error) {
        item.className = "msg error";
        item.setAttribute("data-state", "error");
        textNode.textContent =
          error instanceof UserFacingError ? error.message : NETWORK_ERROR_TEXT;
      })
      .then(function () {
        busy = false;
        sendButton.disabled = false;
        input.focus();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value.trim();
    if (!message || busy) {
      return;
    }
    input.value = "";
    ask(message);
  });

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
