"""Cases (一生一策): the plan, its care team, follow-up notes, levels and referrals."""
