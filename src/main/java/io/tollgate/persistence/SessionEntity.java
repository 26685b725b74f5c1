package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of sessions. Never leaves this package: callers get a {@link SessionRecord}. */
@Entity
@Table(name = "sessions")
class SessionEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "key_id", nullable = false, updatable = false)
  long keyId;

  @Column(name = "session_id", nullable = false, updatable = false, length = 128)
  String sessionId;

  @Column(nullable = false, length = 16)
  String dialect;

  @Column(name = "system_prompt")
  String systemPrompt;

  @Column(nullable = false)
  String messages;

  @Column(nullable = false)
  int turns;

  @Column(nullable = false)
  int tokens;

  @Column(name = "created_at", nullable = false)
  Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  @Column(name = "expires_at", nullable = false)
  Instant expiresAt;

  SessionRecord toRecord() {
    return new SessionRecord(keyId, sessionId, dialect, systemPrompt, messages, turns, tokens, createdAt, updatedAt,
        expiresAt);
  }

  void assign(SessionRecord r) {
    dialect = r.dialect();
    systemPrompt = r.systemPrompt();
    messages = r.messages();
    turns = r.turns();
    tokens = r.tokens();
    createdAt = r.createdAt();
    updatedAt = r.updatedAt();
    expiresAt = r.expiresAt();
  }
}
