package dev.rcdrive.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** SSLContexts for wss://, from a PKCS#12 keystore or PEM files, with clear errors. */
public final class TlsContexts {

  /** Guards nothing (the store never leaves memory); PKCS#12 just wants a non-empty one. */
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  private TlsContexts() {}

  /** Server side: the certificate and key the server presents. */
  public static SSLContext server(SignalingConfig.Tls tls) throws InvalidConfigException {
    return reloadable(tls).context();
  }

  /**
   * Server side, with a certificate that can be replaced while the server runs (a renewal): new
   * handshakes present the new one, established connections carry on with theirs.
   */
  public static Reloadable reloadable(SignalingConfig.Tls tls) throws InvalidConfigException {
    Reloadable reloadable = new Reloadable(keyManager(tls));
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {reloadable.keys}, null, null);
      reloadable.context = context;
      return reloadable;
    } catch (GeneralSecurityException e) {
      throw new InvalidConfigException("tls: " + e.getMessage());
    }
  }

  /** An SSLContext whose certificate and key {@link #reload} replaces. */
  public static final class Reloadable {
    private final SwappableKeyManager keys;
    private SSLContext context;

    private Reloadable(X509ExtendedKeyManager initial) {
      this.keys = new SwappableKeyManager(initial);
    }

    public SSLContext context() {
      return context;
    }

    /** Reads the certificate and key again; on a problem the current ones stay in use. */
    public void reload(SignalingConfig.Tls tls) throws InvalidConfigException {
      keys.current = keyManager(tls);
    }

    /** The certificate presented to new connections (for logs and tests). */
    public X509Certificate certificate() {
      X509ExtendedKeyManager current = keys.current;
      String alias = current.chooseServerAlias("RSA", null, null);
      if (alias == null) {
        alias = current.chooseServerAlias("EC", null, null);
      }
      X509Certificate[] chain = alias == null ? null : current.getCertificateChain(alias);
      return chain == null || chain.length == 0 ? null : chain[0];
    }
  }

  private static X509ExtendedKeyManager keyManager(SignalingConfig.Tls tls)
      throws InvalidConfigException {
    for (String file : new String[] {tls.keystore(), tls.certificate(), tls.privateKey()}) {
      if (file != null && !Files.isReadable(Path.of(file))) {
        throw new InvalidConfigException(
            "tls: cannot read "
                + file
                + (Files.exists(Path.of(file))
                    ? " (permission denied for user " + System.getProperty("user.name") + ")"
                    : " (no such file)"));
      }
    }
    try {
      KeyStore keyStore;
      char[] password;
      if (tls.keystore() != null) {
        password = tls.password() == null ? new char[0] : tls.password().toCharArray();
        keyStore = loadPkcs12(Path.of(tls.keystore()), password);
      } else {
        password = IN_MEMORY_PASSWORD;
        keyStore = fromPem(Path.of(tls.certificate()), Path.of(tls.privateKey()));
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, password);
      for (KeyManager manager : kmf.getKeyManagers()) {
        if (manager instanceof X509ExtendedKeyManager x509) {
          return x509;
        }
      }
      throw new InvalidConfigException("tls: no X.509 key manager for this key");
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // RuntimeException: a truncated PEM or bad base64 must be a config error, not a crash
      throw new InvalidConfigException(
          "tls: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Hands every handshake to the key manager of the moment. */
  private static final class SwappableKeyManager extends X509ExtendedKeyManager {
    volatile X509ExtendedKeyManager current;

    SwappableKeyManager(X509ExtendedKeyManager initial) {
      this.current = initial;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return current.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return current.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return current.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return current.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return current.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return current.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return current.getPrivateKey(alias);
    }
  }

  /** Client side: trust the certificates in this keystore (e.g. a self-signed server's). */
  public static SSLContext trusting(Path keystore, char[] password) throws InvalidConfigException {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(loadPkcs12(keystore, password));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidConfigException("trust store " + keystore + ": " + e.getMessage());
    }
  }

  /** Client side: trust the certificates in a PEM file (e.g. a self-signed server's cert.pem). */
  public static SSLContext trustingPem(Path certificates) throws InvalidConfigException {
    try (InputStream in = Files.newInputStream(certificates)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("trusted-" + i++, certificate);
      }
      if (i == 0) {
        throw new InvalidConfigException("trust file " + certificates + ": no certificate in it");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidConfigException("trust file " + certificates + ": " + e.getMessage());
    }
  }

  private static KeyStore loadPkcs12(Path path, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      keyStore.load(in, password);
    }
    return keyStore;
  }

  private static KeyStore fromPem(Path certificatePath, Path keyPath)
      throws IOException, GeneralSecurityException, InvalidConfigException {
    Collection<? extends Certificate> chain;
    try (InputStream in = Files.newInputStream(certificatePath)) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (chain.isEmpty()) {
      throw new InvalidConfigException("tls.certificate: no certificate in " + certificatePath);
    }
    PrivateKey key = readPkcs8Key(keyPath);
    if (!belongTogether(key, chain.iterator().next())) {
      // e.g. a renewal seen half-way: the certificate is new and the key still old
      throw new InvalidConfigException(
          "tls: the key in "
              + keyPath
              + " does not belong to the certificate in "
              + certificatePath);
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
    return keyStore;
  }

  /** Whether the certificate's public key verifies what the private key signs. */
  private static boolean belongTogether(PrivateKey key, Certificate certificate)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519
        };
    byte[] probe = "rcdrive: does this key belong to this certificate?".getBytes();
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException differentKind) {
      return false;
    }
  }

  private static PrivateKey readPkcs8Key(Path keyPath)
      throws IOException, GeneralSecurityException, InvalidConfigException {
    String pem = Files.readString(keyPath);
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")
        || !pem.contains("-----END PRIVATE KEY-----")) {
      throw new InvalidConfigException(
          "tls.privateKey: "
              + keyPath
              + " is not an unencrypted PKCS#8 PEM key; convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out key-pkcs8.pem'");
    }
    String base64 =
        pem.substring(
                pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                pem.indexOf("-----END PRIVATE KEY-----"))
            .replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next one
      }
    }
    throw new InvalidConfigException(
        "tls.privateKey: " + keyPath + " is not an RSA, EC or Ed25519 key");
  }
}
