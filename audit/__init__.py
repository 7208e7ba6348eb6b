"""The audit trail: `AuditEvent` (who did what, to which row, when), the helpers services write
it with, and Revisjonslogg, the page staff read it on."""
