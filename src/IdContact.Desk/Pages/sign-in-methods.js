// The buttons of the resident's in-conversation sign-in dialog (chat and video call), one per offered method, as the
// server renders them after a reload (a bare button looked disabled). Shared so both pages build them the same way.
window.IdContactSignInButtons = function (methods) {
  return methods.map(m => {
    const b = document.createElement('button');
    b.type = 'submit'; b.name = 'auth_method'; b.value = m.tag; b.textContent = m.name;
    b.className = 'utrecht-button utrecht-button--primary-action';
    return b;
  });
};
