/** Where your keys live and how to keep them: shown once during onboarding, and in settings. */
export function KeysExplainer() {
  return (
    <div className="keys-explainer" data-testid="keys-explainer">
      <h2 className="keys-title">Your keys stay on this device</h2>
      <ul className="onboarding-points">
        <li>Your private key is made and kept in this browser. No hub ever sees it, so no one can reset it for you.</li>
        <li>
          To keep it safe, make a backup: <strong>Settings → Backup</strong> saves an encrypted file protected by a
          passphrase you choose.
        </li>
        <li>To use the same pseudonym on another device, import that file there.</li>
      </ul>
    </div>
  );
}
