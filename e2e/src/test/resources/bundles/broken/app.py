"""e2e bundle whose import fails."""
LIMIT = 10 // 0
