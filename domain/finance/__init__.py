"""融资服务: banks' finance products, their eligibility over a grade-only rating and the policy
sheet, and the states of a financing request's answers. Pure: the service loads the values."""
