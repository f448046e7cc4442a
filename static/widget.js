// xai-web chat widget. A host page adds:
//
//   <script src="https://chat.example.com/widget.js" async></script>
//   <xai-chat model="grok-4" system-prompt="You answer questions about our shop."
//             theme="dark" width="380px" height="560px"></xai-chat>
//
// The chat runs in an iframe from the deployment that served this file, inside a shadow root:
// the host's CSS cannot reach the chat and the chat's CSS cannot reach the host. Attributes:
// endpoint (gRPC-Web endpoint; default: the deployment's), model, system-prompt, theme
// (light | dark | system), title, width, height, app (where the app is; default: beside this file).
(function () {
  'use strict';
  var script = document.currentScript;
  var defaultApp = new URL('.', script && script.src ? script.src : location.href).href;
  var PARAMS = { endpoint: 'endpoint', model: 'model', 'system-prompt': 'system', theme: 'theme', title: 'title' };
  var OBSERVED = Object.keys(PARAMS).concat(['width', 'height', 'app', 'id']);

  function frameUrl(element) {
    var url = new URL('embed', element.getAttribute('app') || defaultApp);
    Object.keys(PARAMS).forEach(function (attribute) {
      var value = element.getAttribute(attribute);
      if (value) url.searchParams.set(PARAMS[attribute], value);
    });
    // Each widget on a page keeps its own conversation.
    if (element.id) url.searchParams.set('widget', element.id);
    return url.href;
  }

  class XaiChat extends HTMLElement {
    static get observedAttributes() { return OBSERVED; }

    constructor() {
      super();
      var root = this.attachShadow({ mode: 'closed' });
      var style = document.createElement('style');
      style.textContent = ':host{display:inline-block;vertical-align:top}' +
        'iframe{display:block;border:1px solid rgba(128,128,128,.35);border-radius:12px;background:transparent}';
      this.frame = document.createElement('iframe');
      this.frame.setAttribute('allow', 'clipboard-write');
      this.frame.setAttribute('loading', 'lazy');
      root.append(style, this.frame);
    }

    connectedCallback() { this.update(); }

    attributeChangedCallback() { if (this.isConnected) this.update(); }

    update() {
      // Sizes go through the CSSOM, which drops anything that is not a length.
      this.frame.style.width = this.getAttribute('width') || '380px';
      this.frame.style.height = this.getAttribute('height') || '560px';
      this.frame.title = this.getAttribute('title') || 'Chat';
      var src = frameUrl(this);
      if (this.frame.getAttribute('src') !== src) this.frame.setAttribute('src', src);
    }
  }

  if (!customElements.get('xai-chat')) customElements.define('xai-chat', XaiChat);
})();
