// The sign-in pop-up's last page: the call is in the other window, so this one closes itself.
window.close();
