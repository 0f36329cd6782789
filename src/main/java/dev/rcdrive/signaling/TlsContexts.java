package dev.rcdrive.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** SSLContexts for wss://, from a PKCS#12 keystore or PEM files, with clear errors. */
public final class TlsContexts {

  /** Guards nothing (the store never leaves memory); PKCS#12 just wants a non-empty one. */
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  private TlsContexts() {}

  /** Server side: the certificate and key the server presents. */
  public static SSLContext server(SignalingConfig.Tls tls) throws InvalidConfigException {
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
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // RuntimeException: a truncated PEM or bad base64 must be a config error, not a crash
      throw new InvalidConfigException(
          "tls: " + e.getClass().getSimpleName() + ": " + e.getMessage());
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
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
    return keyStore;
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
