"""Mail in (mailbox to inbox) and mail out (drafts and sending)."""
